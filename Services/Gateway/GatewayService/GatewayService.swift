import ServiceRuntime

/// The gateway service: the HTTP and WebSocket entry for visitors, agents and admins. See `README.md` beside this folder.
public enum GatewayService {
    /// The service's short name, schema and default HTTP port.
    public static let name = "gateway"

    /// What the runtime needs to run this service.
    public static func definition() -> ServiceDefinition {
        ServiceDefinition(
            name: name,
            defaultPort: 8080,
            migrations: [],
            consumers: [])
    }
}
