/// Where the read loop is: draining its own pending entries after `after`, or reading new ones;
/// plus the ids handled but not yet acknowledged (sent with the next read).
struct ReadState: Sendable {
    enum Phase: Sendable, Equatable {
        case pending(after: String)
        case new
    }

    var phase: Phase = .pending(after: "0")
    var acknowledgements: [String] = []
    var failures = 0
}
