/// Exponential backoff with jitter for reconnect loops.
public struct Backoff: Sendable {
    private let initial: Duration
    private let maximum: Duration
    private var current: Duration

    /// Starts at `initial`, doubling up to `maximum`.
    public init(initial: Duration = .milliseconds(100), maximum: Duration = .seconds(5)) {
        self.initial = initial
        self.maximum = maximum
        self.current = initial
    }

    /// The next delay (with up to 20 % jitter), advancing the sequence.
    public mutating func next() -> Duration {
        let delay = current
        current = min(current * 2, maximum)
        return delay + delay * Double.random(in: 0..<0.2)
    }

    /// Back to the initial delay after a success.
    public mutating func reset() {
        current = initial
    }
}
