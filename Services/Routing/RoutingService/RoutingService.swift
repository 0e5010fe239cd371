import ServiceRuntime

/// The routing service: session state, queue and capacity-bound assignment. See `README.md` beside this folder.
public enum RoutingService {
    /// The service's short name, schema and default HTTP port.
    public static let name = "routing"

    /// What the runtime needs to run this service.
    public static func definition() -> ServiceDefinition {
        ServiceDefinition(
            name: name,
            defaultPort: 8081,
            migrations: [],
            consumers: [
                .init(stream: .inbound, unknownTypes: .deadLetter),
                .init(stream: .commands, unknownTypes: .deadLetter),
                .init(stream: .requests, unknownTypes: .deadLetter),
            ])
    }
}
