/// The five Kefu services. Each owns one PostgreSQL schema and talks to the others only through streams.
public enum ServiceName: String, CaseIterable, Sendable, Hashable, Codable {
    /// HTTP/WebSocket edge for visitors, agents and admins.
    case gateway
    /// Sessions, queue, agents and assignment.
    case routing
    /// Messages, images and transcripts.
    case store
    /// Knowledge base, bot answers and quick replies.
    case knowledge
    /// Session records, statistics and CSV exports.
    case reporting

    /// Whether the service consumes a request stream (`<prefix>:requests:<service>`).
    ///
    /// The gateway only sends requests; it receives answers on its per-instance reply stream.
    public var hasRequestStream: Bool { self != .gateway }
}
