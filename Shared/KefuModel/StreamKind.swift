/// The streams an entry type travels on (per-instance reply streams are named separately).
public enum StreamKind: Hashable, Sendable {
    /// Visitor events from the gateway and from channel connectors.
    case inbound
    /// Agent, admin and bot actions on sessions.
    case commands
    /// Facts that happened, written by routing.
    case events
    /// Requests to one service, shared by its instances through a consumer group.
    case requests(ServiceName)
    /// The request stream of whichever service is asked (`query.request`); rendered `requests:<service>`.
    case anyRequests
    /// The stream named by the request's `reply_to` (`reply.result`); rendered `replies:<instance>`.
    case replyTo

    /// The stream name without the prefix, e.g. `inbound` or `requests:knowledge`; a placeholder for the
    /// two kinds whose stream is chosen per entry.
    public var suffix: String {
        switch self {
        case .inbound: "inbound"
        case .commands: "commands"
        case .events: "events"
        case .requests(let service): "requests:" + service.rawValue
        case .anyRequests: "requests:<service>"
        case .replyTo: "replies:<instance>"
        }
    }
}
