/// Agent availability used for queue waiting-time estimates.
public struct QueueCapacitySnapshot: Sendable, Hashable {
    /// Agents online and present (accepting work).
    public var agentsOnline: Int
    /// Unused session slots across those agents.
    public var freeSlots: Int
    /// Total concurrent-session capacity across those agents.
    public var totalCapacity: Int

    /// Creates a snapshot; negative values are treated as 0.
    public init(agentsOnline: Int, freeSlots: Int, totalCapacity: Int) {
        self.agentsOnline = max(agentsOnline, 0)
        self.freeSlots = max(freeSlots, 0)
        self.totalCapacity = max(totalCapacity, 0)
    }
}

/// Estimates how long a queued visitor will wait.
///
/// Formula, for 1-based queue `position` p:
/// - if agents are online and `freeSlots ≥ p`: 0 s (a slot is free now);
/// - otherwise `ceil((p − free) × averageHandleSeconds / max(totalCapacity, 1))`: with every slot busy, a
///   slot frees about every `averageHandleSeconds / totalCapacity` seconds, and the visitor needs
///   `p − free` of them, so the estimate grows with every place in the queue and shrinks with every free
///   slot and every slot of capacity (free slots count as 0 when nobody is online);
/// - `averageHandleSeconds` is the recent average (see `HandleTimeRollingAverage`); without history
///   `fallbackHandleSeconds` is used if an agent is online, and the result is `nil` (unknown)
///   when no agent is online and there is no history.
public enum QueueETAEstimator {
    /// Default handle time assumed when agents are online but no session has ended yet.
    public static let defaultFallbackHandleSeconds = 300.0

    /// Estimated waiting time in whole seconds (rounded up), or `nil` if unknown.
    public static func estimateSeconds(
        position: Int,
        capacity: QueueCapacitySnapshot,
        averageHandleSeconds: Double?,
        fallbackHandleSeconds: Double = defaultFallbackHandleSeconds
    ) -> Int? {
        let position = max(position, 1)
        let online = capacity.agentsOnline > 0
        let free = online ? capacity.freeSlots : 0
        if online && free >= position { return 0 }
        let usableAverage = averageHandleSeconds.flatMap { $0.isFinite && $0 >= 0 ? $0 : nil }
        guard let handle = usableAverage ?? (online ? fallbackHandleSeconds : nil) else { return nil }
        let waiting = position - free
        let seconds = (Double(waiting) * handle / Double(max(capacity.totalCapacity, 1))).rounded(.up)
        return seconds < Double(Int.max / 2) ? Int(seconds) : Int.max / 2
    }
}
