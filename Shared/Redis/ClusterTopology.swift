import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The slot map of a Redis Cluster, shared by every connection of one ``RedisClient``: loaded with
/// `CLUSTER SLOTS` from a known master or a seed, patched by `MOVED` replies and reloaded (at most every
/// 250 ms) when a connection sees the map go stale. Blocking: call it off Swift's cooperative pool.
public final class ClusterTopology: Sendable {
    /// The connection settings (seeds, credentials, timeouts).
    public let configuration: RedisConfiguration
    private let state = Mutex<State>(State())
    private static let refreshInterval: Duration = .milliseconds(250)

    private struct State {
        var map: ClusterSlotMap?
        var lastRefresh: ContinuousClock.Instant?
        var stale = false
        var epoch = 0
    }

    /// Creates a topology for `configuration` (which must have ``RedisConfiguration/cluster`` set);
    /// nothing is contacted until first use.
    public init(configuration: RedisConfiguration) {
        precondition(configuration.cluster != nil, "a ClusterTopology needs a redis+cluster configuration")
        self.configuration = configuration
    }

    /// Counts map changes, so connections can tell that theirs was replaced.
    var epoch: Int { state.withLock { $0.epoch } }

    /// The masters of the current map (loading it first if needed).
    public func masters() throws(RedisError) -> [RedisEndpoint] {
        try currentMap().masters
    }

    /// The master serving `slot`.
    ///
    /// - Throws: ``RedisError/cluster(_:)`` when no master serves it, even after a reload.
    public func master(of slot: Int) throws(RedisError) -> RedisEndpoint {
        if let endpoint = try currentMap().master(of: slot) { return endpoint }
        try refresh(force: false)
        guard let endpoint = try currentMap().master(of: slot) else {
            throw .cluster("slot \(slot) is not served by any master")
        }
        return endpoint
    }

    /// Reloads the map and fails unless every slot has a master; the error is one line naming the
    /// uncovered slots.
    public func verifyCoverage() throws(RedisError) {
        try refresh(force: true)
        let uncovered = try currentMap().uncovered
        guard !uncovered.isEmpty else { return }
        let count = uncovered.reduce(0) { $0 + $1.count }
        let listed = uncovered.prefix(4).map { $0.count == 1 ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }
        throw .cluster("\(count) of \(ClusterKeySlot.count) slots have no master (slots \(listed.joined(separator: ","))\(uncovered.count > 4 ? ",…" : "")); "
            + "assign every slot (redis-cli --cluster fix) before starting")
    }

    /// Notes a `MOVED <slot> <endpoint>` reply: the slot is patched now, the whole map reloaded soon.
    func moved(_ slot: Int, to endpoint: RedisEndpoint) {
        state.withLock { state in
            if state.map == nil { state.map = ClusterSlotMap() }
            state.map?.assign(slot, to: endpoint)
            state.stale = true
            state.epoch += 1
        }
    }

    /// Marks the map as possibly wrong (a node went away); the next use reloads it.
    func invalidate() {
        state.withLock { $0.stale = true }
    }

    private func currentMap() throws(RedisError) -> ClusterSlotMap {
        let (map, stale) = state.withLock { ($0.map, $0.stale) }
        if let map, !stale { return map }
        try refresh(force: map == nil)
        guard let loaded = state.withLock({ $0.map }) else {
            throw .cluster("no slot map")
        }
        return loaded
    }

    /// Asks the known masters, then the seeds, for `CLUSTER SLOTS` until one answers. Without `force`, does
    /// nothing if the map was loaded less than 250 ms ago.
    func refresh(force: Bool) throws(RedisError) {
        let (known, last) = state.withLock { ($0.map?.masters ?? [], $0.lastRefresh) }
        if !force, let last, last.duration(to: .now) < Self.refreshInterval { return }
        var candidates = known
        for seed in configuration.cluster?.seeds ?? [] where !candidates.contains(seed) {
            candidates.append(seed)
        }
        var problems: [String] = []
        for node in candidates {
            do {
                let map = try ask(node)
                state.withLock { state in
                    if state.map != map { state.epoch += 1 }
                    state.map = map
                    state.stale = false
                    state.lastRefresh = .now
                }
                return
            } catch {
                problems.append("\(node): \(error)")
            }
        }
        state.withLock { $0.lastRefresh = .now }
        throw .connectionFailed("no cluster node answered CLUSTER SLOTS (\(problems.prefix(3).joined(separator: "; ")))")
    }

    private func ask(_ node: RedisEndpoint) throws(RedisError) -> ClusterSlotMap {
        var target = configuration.direct(to: node)
        target.readTimeout = min(target.readTimeout, .seconds(2))
        target.connectTimeout = min(target.connectTimeout, .seconds(1))
        let context = try HiredisContext.connect(target)
        try RedisConnection.handshake(context, target)
        let reply = try context.command(ArgvStorage(strings: ["CLUSTER", "SLOTS"]))
        if let message = reply.errorMessage {
            throw .server(message)
        }
        return try ClusterSlotMap(slotsReply: reply, answeredBy: node)
    }
}
