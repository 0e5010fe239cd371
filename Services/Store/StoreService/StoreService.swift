import ServiceRuntime

/// The store service: conversation history: messages, images, transcripts. See `README.md` beside this folder.
public enum StoreService {
    /// The service's short name, schema and default HTTP port.
    public static let name = "store"

    /// What the runtime needs to run this service.
    public static func definition() -> ServiceDefinition {
        ServiceDefinition(
            name: name,
            defaultPort: 8082,
            migrations: [],
            consumers: [
                .init(stream: .events, unknownTypes: .acknowledge),
                .init(stream: .requests, unknownTypes: .deadLetter),
            ])
    }
}
