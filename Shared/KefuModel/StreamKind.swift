/// The shared streams an entry type travels on (per-instance reply streams are named separately).
public enum StreamKind: Hashable, Sendable {
    /// Visitor events from the gateway and from channel connectors.
    case inbound
    /// Agent, admin and bot actions on sessions.
    case commands
    /// Facts that happened, written by routing.
    case events
    /// Requests to one service, shared by its instances through a consumer group.
    case requests(ServiceName)

    /// The stream name without the prefix, e.g. `inbound` or `requests:knowledge`.
    public var suffix: String {
        switch self {
        case .inbound: "inbound"
        case .commands: "commands"
        case .events: "events"
        case .requests(let service): "requests:" + service.rawValue
        }
    }
}
