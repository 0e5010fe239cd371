/// Rolling average of the handle time of the last N ended human sessions.
public struct HandleTimeRollingAverage: Sendable, Hashable {
    /// Maximum number of samples kept.
    public let capacity: Int
    private var samples: [Double] = []
    private var nextIndex = 0
    private var sum = 0.0

    /// Creates an empty average over the last `capacity` samples (at least 1).
    public init(capacity: Int = 50) {
        self.capacity = max(capacity, 1)
    }

    /// Adds a session duration in seconds; negative, NaN and infinite values are ignored.
    public mutating func record(seconds: Double) {
        guard seconds.isFinite, seconds >= 0 else { return }
        if samples.count < capacity {
            samples.append(seconds)
        } else {
            samples[nextIndex] = seconds
        }
        nextIndex = (nextIndex + 1) % capacity
        sum = samples.reduce(0, +)
    }

    /// Number of samples currently kept.
    public var count: Int { samples.count }

    /// Mean of the kept samples, or `nil` when there is no sample.
    public var average: Double? { samples.isEmpty ? nil : sum / Double(samples.count) }
}
