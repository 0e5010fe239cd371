import ServiceRuntime

/// The reporting service: conversation records, statistics and CSV exports. See `README.md` beside this folder.
public enum ReportingService {
    /// The service's short name, schema and default HTTP port.
    public static let name = "reporting"

    /// What the runtime needs to run this service.
    public static func definition() -> ServiceDefinition {
        ServiceDefinition(
            name: name,
            defaultPort: 8084,
            migrations: [],
            consumers: [
                .init(stream: .events, unknownTypes: .acknowledge),
                .init(stream: .requests, unknownTypes: .deadLetter),
            ])
    }
}
