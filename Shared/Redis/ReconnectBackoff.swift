/// Exponential backoff between connect attempts: 50 ms doubling up to a cap (2 s by default).
/// The first attempt after a healthy period is immediate.
struct ReconnectBackoff {
    var base: Duration = .milliseconds(50)
    var cap: Duration = .seconds(2)
    private(set) var consecutiveFailures = 0
    private var lastFailure: ContinuousClock.Instant?

    /// How long to wait before the next attempt.
    func delay(now: ContinuousClock.Instant = .now) -> Duration {
        guard consecutiveFailures > 0, let lastFailure else { return .zero }
        let exponent = min(consecutiveFailures - 1, 16)
        let wanted = min(cap, base * (1 << exponent))
        let elapsed = lastFailure.duration(to: now)
        return elapsed >= wanted ? .zero : wanted - elapsed
    }

    mutating func recordFailure(now: ContinuousClock.Instant = .now) {
        consecutiveFailures += 1
        lastFailure = now
    }

    mutating func recordSuccess() {
        consecutiveFailures = 0
        lastFailure = nil
    }
}
