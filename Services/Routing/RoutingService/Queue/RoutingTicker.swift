import Foundation
import Logging
import Postgres
import ServiceLifecycle
import ServiceRuntime

/// The routing service's background loop: drains the queue as soon as a committed handler freed capacity
/// or queued someone, runs the time-driven passes every tick, and republishes queue positions (at most once
/// per `positionInterval`).
struct RoutingTicker: Service {
    let engine: RoutingEngine
    let postgres: PostgresClient
    let readiness: Readiness
    let logger: Logger

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                try await readiness.wait(for: .migrations)
                try await loop()
            }
        } catch is CancellationError {
            return
        }
    }

    private func loop() async throws {
        let clock = ContinuousClock()
        var nextTick = clock.now
        var nextPositions = clock.now
        var positionsDirty = true
        while true {
            try Task.checkCancellation()
            let tickDue = clock.now >= nextTick
            let drainDue = engine.signal.take()
            do {
                if tickDue {
                    nextTick = clock.now + engine.tuning.tickInterval
                    try await engine.maintain(using: postgres)
                }
                if tickDue || drainDue {
                    let report = try await engine.drainQueue(using: postgres)
                    if report.assigned > 0 || drainDue { positionsDirty = true }
                }
                if tickDue || (positionsDirty && clock.now >= nextPositions) {
                    nextPositions = clock.now + engine.tuning.positionInterval
                    positionsDirty = false
                    try await engine.publishPositions(using: postgres)
                }
            } catch let error as CancellationError {
                throw error
            } catch {
                logger.warning("routing background pass failed; retrying", metadata: ["error": "\(error)"])
                try await Task.sleep(for: .milliseconds(200))
            }
            let wait = min(nextTick, positionsDirty ? nextPositions : nextTick) - clock.now
            if wait > .zero { try await engine.signal.wait(timeout: wait) }
        }
    }
}
