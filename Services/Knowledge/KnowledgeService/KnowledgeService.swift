import ServiceRuntime

/// The knowledge service: knowledge base, bot answers, smart assist and quick replies. See `README.md` beside this folder.
public enum KnowledgeService {
    /// The service's short name, schema and default HTTP port.
    public static let name = "knowledge"

    /// What the runtime needs to run this service.
    public static func definition() -> ServiceDefinition {
        ServiceDefinition(
            name: name,
            defaultPort: 8083,
            migrations: [],
            consumers: [
                .init(stream: .events, unknownTypes: .acknowledge),
                .init(stream: .requests, unknownTypes: .deadLetter),
            ])
    }
}
