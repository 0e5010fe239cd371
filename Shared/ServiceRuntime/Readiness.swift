import Metrics
import Synchronization

/// What a service needs before it reports ready, and whether each need is met.
///
/// `/ready` answers 200 only when every registered check passes; each check is also the gauge
/// `kefu_ready{check="…"}` (1 or 0) on `/metrics`.
public final class Readiness: Sendable {
    /// The standard checks.
    public enum Check: String, Sendable, CaseIterable {
        /// Redis answers PING.
        case redis
        /// PostgreSQL answers a query.
        case postgres
        /// The service's schema is migrated.
        case migrations
        /// The service's consumer groups exist.
        case consumerGroups = "consumer_groups"
    }

    private let state = Mutex<[String: Bool]>([:])
    private let gauges: [String: Gauge]

    /// Creates a readiness tracker with every standard check failing.
    public init(checks: [Check] = Check.allCases) {
        var gauges: [String: Gauge] = [:]
        for check in checks {
            let gauge = Gauge(label: "kefu_ready", dimensions: [("check", check.rawValue)])
            gauge.record(0)
            gauges[check.rawValue] = gauge
        }
        self.gauges = gauges
        state.withLock { state in
            for check in checks { state[check.rawValue] = false }
        }
    }

    /// Records the state of one check.
    public func set(_ check: Check, _ passing: Bool) {
        state.withLock { $0[check.rawValue] = passing }
        gauges[check.rawValue]?.record(passing ? 1 : 0)
    }

    /// The state of one check.
    public func isPassing(_ check: Check) -> Bool {
        state.withLock { $0[check.rawValue] ?? false }
    }

    /// Every check with its state.
    public var checks: [String: Bool] { state.withLock { $0 } }

    /// True when every check passes.
    public var isReady: Bool { state.withLock { $0.values.allSatisfy { $0 } } }

    /// Waits until `check` passes, polling; throws `CancellationError` when the task is cancelled.
    public func wait(for check: Check) async throws {
        while !isPassing(check) {
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
