import Foundation
import KefuModel
import Logging
import Postgres
import ServiceLifecycle
import ServiceRuntime

/// Runs accepted exports: waits until the transaction that answered the request is committed (the
/// request's id is in the inbox), so a request whose transaction rolled back never streams; then streams
/// the COPY output into the export stream. On graceful shutdown running exports are cancelled and end with
/// `end: error:…` so readers stop at once.
struct ExportService: Service {
    let coordinator: ExportCoordinator
    let context: ServiceContext
    let idleTimeout: Duration

    func run() async throws {
        _ = try? await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                for await job in coordinator.jobs {
                    group.addTask { await export(job) }
                }
            }
        }
    }

    private func export(_ job: ExportJob) async {
        defer { coordinator.release() }
        let logger = context.logger
        guard await requestCommitted(job.requestID) else {
            logger.info("export dropped: its request was not committed", metadata: ["export.stream": "\(job.streamKey)"])
            return
        }
        var writer = ExportStreamWriter(redis: context.redis, key: job.streamKey, idleTimeout: idleTimeout)
        let start = ContinuousClock.now
        var failure: String?
        do {
            let outcome = try await ExportRunner.run(job.plan, bom: job.bom, postgres: context.postgres) { bytes, _ in
                try await writer.write(bytes)
            }
            try await writer.finish()
            logger.info("export finished", metadata: [
                "export.kind": "\(job.kind.rawValue)", "export.stream": "\(job.streamKey)",
                "export.rows": "\(outcome.rows)", "export.bytes": "\(outcome.bytes)",
                "export.duration": "\(ContinuousClock.now - start)",
            ])
            return
        } catch let error as ExportStreamError {
            logger.warning("export stopped", metadata: ["export.stream": "\(job.streamKey)", "error": "\(error)"])
            guard case .cancelled = error else { return }
            failure = "the reporting service is shutting down; try again"
        } catch is CancellationError {
            failure = "the reporting service is shutting down; try again"
        } catch {
            logger.error("export failed", metadata: ["export.stream": "\(job.streamKey)", "error": "\(error)"])
            failure = "the export failed: \(error)"
        }
        // A fresh task: the end entry must be written even when this one was cancelled.
        let ending = writer
        let message = failure
        await Task {
            var ending = ending
            try? await ending.finish(error: message)
        }.value
    }

    /// Looks for the reply in the outbox after each committed requests batch (woken by the consumer's
    /// after-commit hook), for up to 10 s.
    private func requestCommitted(_ id: UUID) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if let rows = try? await context.postgres.query(
                "SELECT 1 FROM reporting.processed_events WHERE consumer_group = $1 AND event_id = $2",
                [ConsumerGroups.reporting, id]), !rows.isEmpty {
                return true
            }
            if Task.isCancelled { return false }
            await coordinator.waitForCommit(upTo: .milliseconds(100))
        }
        return false
    }
}
