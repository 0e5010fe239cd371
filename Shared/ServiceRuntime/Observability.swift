import Logging
import Metrics
import Prometheus

/// Process-wide logging and metrics set-up: call ``bootstrap(_:)`` once, first thing in `main`.
public enum Observability {
    /// The registry behind `/metrics`; every swift-metrics metric of the process lands here.
    public static let registry = PrometheusCollectorRegistry()

    /// Bootstraps swift-log (format and level from `configuration`) and swift-metrics (Prometheus).
    public static func bootstrap(_ configuration: ServiceConfiguration) {
        let level = configuration.logLevel
        switch configuration.logFormat {
        case .text:
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        case .json:
            LoggingSystem.bootstrap { label in
                var handler = JSONLogHandler(label: label)
                handler.logLevel = level
                return handler
            }
        }
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    }

    /// The metrics in the Prometheus text exposition format.
    public static func prometheusText() -> [UInt8] {
        registry.emitToBuffer()
    }
}
