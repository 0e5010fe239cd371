import ServiceRuntime

/// The webhook settings (`KEFU_WEBHOOKS_*`), checked at start.
public struct WebhookSettings: Sendable {
    /// Allow endpoints on loopback, link-local and private addresses (`KEFU_WEBHOOKS_ALLOW_PRIVATE`).
    public var allowPrivate: Bool
    /// The first retry delay (`KEFU_WEBHOOKS_RETRY_BASE_MS`); each later one doubles.
    public var retryBase: Duration
    /// The longest retry delay (`KEFU_WEBHOOKS_RETRY_MAX_MS`).
    public var retryMax: Duration
    /// How long a delivery is retried before it is dead (`KEFU_WEBHOOKS_RETRY_WINDOW_S`).
    public var retryWindowSeconds: Int
    /// Deliveries of one endpoint in flight at once (`KEFU_WEBHOOKS_CONCURRENCY`).
    public var concurrency: Int
    /// The timeout of a new endpoint when its request names none (`KEFU_WEBHOOKS_TIMEOUT_MS`).
    public var defaultTimeoutMilliseconds: Int
    /// An endpoint failing without a success for this long (and at least `disableMinFailures` times) is
    /// disabled (`KEFU_WEBHOOKS_DISABLE_AFTER_S`).
    public var disableAfterSeconds: Int
    /// Failures in a row before an endpoint can be disabled (`KEFU_WEBHOOKS_DISABLE_MIN_FAILURES`).
    public var disableMinFailures: Int
    /// How often each instance looks for deliveries left by another instance (`KEFU_WEBHOOKS_SWEEP_MS`).
    public var sweepInterval: Duration
    /// How long a session's event whose predecessor has not been seen waits for it (`KEFU_WEBHOOKS_ORDER_GRACE_MS`):
    /// 0 with one gateway instance; with several, two events of a session read by different instances at the
    /// same moment can be inserted out of order, and this wait puts them back in order.
    public var orderGraceMilliseconds: Int
    /// Response bytes read at most (the rest is dropped).
    public let responseLimit = 4096

    /// Reads the settings from the environment.
    public init(reader: ConfigReader = ConfigReader()) throws(ConfigError) {
        allowPrivate = try reader.bool("KEFU_WEBHOOKS_ALLOW_PRIVATE", default: false)
        let base = try reader.int("KEFU_WEBHOOKS_RETRY_BASE_MS", default: 5_000, range: 10...3_600_000)
        let max = try reader.int("KEFU_WEBHOOKS_RETRY_MAX_MS", default: 3_600_000, range: 10...86_400_000)
        guard max >= base else {
            throw ConfigError.invalid(
                variable: "KEFU_WEBHOOKS_RETRY_MAX_MS", value: "\(max)", reason: "must be at least KEFU_WEBHOOKS_RETRY_BASE_MS (\(base))")
        }
        retryBase = .milliseconds(base)
        retryMax = .milliseconds(max)
        retryWindowSeconds = try reader.int("KEFU_WEBHOOKS_RETRY_WINDOW_S", default: 86_400, range: 1...604_800)
        concurrency = try reader.int("KEFU_WEBHOOKS_CONCURRENCY", default: 8, range: 1...64)
        defaultTimeoutMilliseconds = try reader.int("KEFU_WEBHOOKS_TIMEOUT_MS", default: 10_000, range: 100...60_000)
        disableAfterSeconds = try reader.int("KEFU_WEBHOOKS_DISABLE_AFTER_S", default: 432_000, range: 1...2_592_000)
        disableMinFailures = try reader.int("KEFU_WEBHOOKS_DISABLE_MIN_FAILURES", default: 20, range: 1...1_000_000)
        orderGraceMilliseconds = try reader.int("KEFU_WEBHOOKS_ORDER_GRACE_MS", default: 0, range: 0...60_000)
        sweepInterval = .milliseconds(try reader.int("KEFU_WEBHOOKS_SWEEP_MS", default: 30_000, range: 100...600_000))
    }

    /// The delay before attempt `attempts + 1`: exponential from ``retryBase`` up to ``retryMax``, the upper half
    /// drawn at random (so receivers that failed together are not retried together).
    func retryDelay(afterAttempts attempts: Int) -> Duration {
        let baseMs = Double(retryBase.components.seconds) * 1000 + Double(retryBase.components.attoseconds) / 1e15
        let maxMs = Double(retryMax.components.seconds) * 1000 + Double(retryMax.components.attoseconds) / 1e15
        let full = min(maxMs, baseMs * pow2(max(0, attempts - 1)))
        return .milliseconds(Int64(full / 2 + Double.random(in: 0...(full / 2))))
    }

    private func pow2(_ exponent: Int) -> Double { exponent > 40 ? 1e12 : Double(UInt64(1) << UInt64(exponent)) }
}
