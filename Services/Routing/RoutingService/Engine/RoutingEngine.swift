import Foundation
import Synchronization
import KefuModel
import Logging
import Postgres
import ServiceRuntime

/// Routing's logic: every handler, the assigner and the ticker work through one engine, which knows the
/// stream names, the schema and the settings cache. Handlers run inside the runtime's inbox transaction and
/// publish through the outbox in that same transaction.
public final class RoutingEngine: Sendable {
    /// The PostgreSQL schema (`routing`).
    public let schema: String
    /// Stream names under the configured prefix.
    public let streams: StreamNames
    /// The `source` of every envelope routing writes.
    public let source: String
    /// Tunables that are deployment settings rather than admin settings.
    public let tuning: RoutingTuning
    let settings: SettingsCache
    let signal: DrainSignal
    let logger: Logger
    /// Publishes the outbox rows of the engine's own transactions (assigner, ticker) right after they commit;
    /// without one the relay publishes them.
    let publisher: OutboxPublisher?

    /// Creates an engine.
    public init(
        schema: String = "routing", streams: StreamNames, source: String = "routing", tuning: RoutingTuning = .init(),
        publisher: OutboxPublisher? = nil, logger: Logger = Logger(label: "kefu.routing")
    ) {
        self.schema = schema
        self.streams = streams
        self.source = source
        self.tuning = tuning
        self.settings = SettingsCache(schema: schema)
        self.signal = DrainSignal()
        self.publisher = publisher
        self.logger = logger
    }

    /// Runs `body` in a transaction of `postgres` and publishes what it enqueued right after the commit.
    func transaction<T: Sendable>(
        _ postgres: PostgresClient, _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        guard let publisher else { return try await postgres.transaction(body) }
        return try await publisher.transaction(body)
    }

    /// The outbox of the routing schema.
    var outbox: Outbox { Outbox(schema: schema) }

    /// A fresh publication buffer for one handler call.
    func publication(cause: EnvelopeHeader?) -> Publication {
        Publication(streams: streams, source: source, cause: cause)
    }

    /// Asks for a queue drain once the current transaction has committed.
    func requestDrain() {
        signal.request()
    }
}

/// Deployment tunables of the routing service (environment, not admin settings).
public struct RoutingTuning: Sendable {
    /// Presence TTL given by `agent.set_status online` until the first heartbeat.
    public var onlinePresenceSeconds = 60
    /// How long routing waits for a `bot.answer` before counting the question unanswered.
    public var botAnswerTimeoutSeconds = 15
    /// Sessions assigned per drain transaction at most.
    public var assignmentsPerTransaction = 64
    /// How many recent handle times the ETA averages.
    public var handleTimeSamples = 50
    /// How often the ticker runs.
    public var tickInterval: Duration = .seconds(1)
    /// Queue positions are republished at most this often.
    public var positionInterval: Duration = .milliseconds(1000)

    /// The defaults.
    public init() {}

    /// Reads `KEFU_ROUTING_*` variables over the defaults.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> RoutingTuning {
        var tuning = RoutingTuning()
        if let value = environment["KEFU_ROUTING_ONLINE_PRESENCE_S"].flatMap(Int.init), value > 0 { tuning.onlinePresenceSeconds = value }
        if let value = environment["KEFU_ROUTING_BOT_TIMEOUT_S"].flatMap(Int.init), value > 0 { tuning.botAnswerTimeoutSeconds = value }
        if let value = environment["KEFU_ROUTING_TICK_MS"].flatMap(Int.init), value >= 10 { tuning.tickInterval = .milliseconds(value) }
        if let value = environment["KEFU_ROUTING_POSITION_MS"].flatMap(Int.init), value >= 10 { tuning.positionInterval = .milliseconds(value) }
        if let value = environment["KEFU_ROUTING_ASSIGN_BATCH"].flatMap(Int.init), (1...1_000).contains(value) {
            tuning.assignmentsPerTransaction = value
        }
        return tuning
    }
}

/// A flag set by handlers that freed capacity; the assigner waits on it (handlers set it inside their
/// transaction, the consumer's after-commit hook arms it and wakes the assigner, so it sees the effect).
final class DrainSignal: Sendable {
    private let state = Mutex((requested: false, armed: false))
    private let wake = WakeSignal()

    /// Called inside a transaction that frees capacity or fills the queue.
    func request() {
        state.withLock { $0.requested = true }
    }

    /// Called after a transaction committed: a requested drain becomes due and the assigner wakes.
    func flush() {
        let armed = state.withLock { state in
            guard state.requested else { return false }
            state.requested = false
            state.armed = true
            return true
        }
        if armed { wake.notify() }
    }

    /// Consumes a due drain.
    func take() -> Bool {
        state.withLock { state in
            defer { state.armed = false }
            return state.armed
        }
    }

    /// Returns when a drain is due or `timeout` has passed.
    func wait(timeout: Duration) async throws {
        if state.withLock({ $0.armed }) { return }
        await wake.wait(upTo: timeout)
        try Task.checkCancellation()
    }
}
