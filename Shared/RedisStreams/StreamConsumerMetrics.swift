import Metrics

/// The consumer's metrics, all labelled with `stream` and `group`.
///
/// - `kefu_stream_entries_handled_total`: entries whose handler succeeded
/// - `kefu_stream_entries_acked_total`: entries acknowledged (`XACK` count reported by Redis)
/// - `kefu_stream_entries_dead_lettered_total{reason=decode|max_deliveries}`
/// - `kefu_stream_entries_claimed_total`: entries taken over with `XAUTOCLAIM`
/// - `kefu_stream_entries_lost_total`: entries trimmed before they were handled
/// - `kefu_stream_errors_total{kind=connection|handler|dead_letter|claim|protocol}`
/// - `kefu_stream_batch_duration_seconds`: handler time per batch; `kefu_stream_batch_size`
struct StreamConsumerMetrics: Sendable {
    enum DeadLetterReason: String, CaseIterable, Sendable {
        case decode
        case maxDeliveries = "max_deliveries"
    }

    enum ErrorKind: String, CaseIterable, Sendable {
        case connection, handler, deadLetter = "dead_letter", claim, `protocol`
    }

    let handled: Counter
    let acked: Counter
    let claimed: Counter
    let lost: Counter
    let batchDuration: Timer
    let batchSize: Recorder
    private let deadLettered: [DeadLetterReason: Counter]
    private let errors: [ErrorKind: Counter]

    init(stream: String, group: String, factory: any MetricsFactory) {
        let dimensions = [("stream", stream), ("group", group)]
        handled = Counter(label: "kefu_stream_entries_handled_total", dimensions: dimensions, factory: factory)
        acked = Counter(label: "kefu_stream_entries_acked_total", dimensions: dimensions, factory: factory)
        claimed = Counter(label: "kefu_stream_entries_claimed_total", dimensions: dimensions, factory: factory)
        lost = Counter(label: "kefu_stream_entries_lost_total", dimensions: dimensions, factory: factory)
        batchDuration = Timer(label: "kefu_stream_batch_duration_seconds", dimensions: dimensions, factory: factory)
        batchSize = Recorder(label: "kefu_stream_batch_size", dimensions: dimensions, factory: factory)
        var deadLettered: [DeadLetterReason: Counter] = [:]
        for reason in DeadLetterReason.allCases {
            deadLettered[reason] = Counter(
                label: "kefu_stream_entries_dead_lettered_total",
                dimensions: dimensions + [("reason", reason.rawValue)],
                factory: factory
            )
        }
        var errors: [ErrorKind: Counter] = [:]
        for kind in ErrorKind.allCases {
            errors[kind] = Counter(
                label: "kefu_stream_errors_total",
                dimensions: dimensions + [("kind", kind.rawValue)],
                factory: factory
            )
        }
        self.deadLettered = deadLettered
        self.errors = errors
    }

    func deadLettered(_ reason: DeadLetterReason, count: Int = 1) {
        deadLettered[reason]?.increment(by: Int64(count))
    }

    func error(_ kind: ErrorKind) {
        errors[kind]?.increment()
    }
}
