import Metrics

/// The swift-metrics instruments of one consumer.
struct StreamMetrics: Sendable {
    let stream: String
    let group: String
    let acknowledged: Counter
    let handlerFailures: Counter
    let claimed: Counter
    let lost: Counter
    let errors: Counter
    let batchDuration: Timer

    init(stream: String, group: String) {
        self.stream = stream
        self.group = group
        let dimensions = [("stream", stream), ("group", group)]
        acknowledged = Counter(label: "kefu_stream_acknowledged_total", dimensions: dimensions)
        handlerFailures = Counter(label: "kefu_stream_handler_failures_total", dimensions: dimensions)
        claimed = Counter(label: "kefu_stream_claimed_total", dimensions: dimensions)
        lost = Counter(label: "kefu_stream_lost_total", dimensions: dimensions)
        errors = Counter(label: "kefu_stream_errors_total", dimensions: dimensions)
        batchDuration = Timer(label: "kefu_stream_batch_duration", dimensions: dimensions)
    }

    /// The dead-letter counter for one reason kind.
    func deadLettered(_ kind: String) -> Counter {
        Counter(label: "kefu_stream_dead_lettered_total", dimensions: [("stream", stream), ("group", group), ("reason", kind)])
    }
}
