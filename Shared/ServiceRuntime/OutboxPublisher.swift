import Foundation
import KefuModel
import Logging
import Metrics
import Postgres
import RedisStreams

/// Publishes a committed transaction's outbox rows right after the commit: one pipelined `XADD` round trip,
/// then one statement deleting them (a published row has done its job: the stream holds the event). Rows it
/// cannot publish are released at once for the ``OutboxRelay`` (woken) to publish; rows of a publisher that died are published by the relay when the
/// writer's short claim (``Outbox/writerClaimSeconds``) runs out.
public struct OutboxPublisher: Sendable {
    let postgres: PostgresClient
    let producer: StreamProducer
    let wake: WakeSignal
    let logger: Logger
    private let published = Counter(label: "kefu_outbox_published_total", dimensions: [("by", "committer")])

    /// Marks a transaction whose committer publishes its outbox rows (so ``Outbox`` claims them for it).
    public struct Committer: Sendable {
        /// Marks `connection`'s current transaction; call first thing in the transaction's body.
        public static func mark(_ connection: PostgresConnection) {
            connection.transactionNotes.append(Committer())
        }
    }

    /// A publisher writing through `producer`; `wake` is the relay's.
    public init(postgres: PostgresClient, producer: StreamProducer, wake: WakeSignal, logger: Logger) {
        self.postgres = postgres
        self.producer = producer
        self.wake = wake
        self.logger = logger
    }

    /// Runs `body` in a transaction, then publishes what it enqueued in any outbox.
    public func transaction<T: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        let (value, notes) = try await postgres.transaction { connection in
            Committer.mark(connection)
            let value = try body(connection)
            return (value, Outbox.enqueued(on: connection))
        }
        await publish(notes)
        return value
    }

    /// Publishes rows enqueued by a transaction that has committed: per outbox, one pipelined `XADD` round
    /// trip and one deleting statement, however many handlers enqueued them.
    public func publish(_ notes: [OutboxNote]) async {
        var merged: [OutboxNote] = []
        for note in notes where !note.entries.isEmpty {
            if let index = merged.firstIndex(where: { $0.schema == note.schema }) {
                merged[index].entries += note.entries
            } else {
                merged.append(note)
            }
        }
        for note in merged {
            let ids = "{" + note.entries.map(\.eventID.lowercasedText).joined(separator: ",") + "}"
            do {
                _ = try await producer.addBatch(note.entries.map {
                    (stream: $0.stream, fields: [(name: StreamNames.entryField, value: $0.payload)])
                })
            } catch StreamError.notReplicated(_, let replicas) {
                // On the primary but not yet on enough replicas: the rows stay until the relay publishes them
                // again after a short claim (once more if the primary survives; the inboxes drop the repeat).
                logger.warning("published rows are not replicated yet; the relay publishes them again", metadata: ["replicas": "\(replicas)"])
                try? await postgres.execute(
                    "UPDATE \(note.schema).outbox SET claimed_until = now() + interval '1 second' WHERE event_id = ANY($1::uuid[]) AND published_at IS NULL",
                    [ids])
                continue
            } catch {
                logger.warning("publishing after commit failed; the relay takes over", metadata: ["error": "\(error)"])
                try? await postgres.execute(
                    "UPDATE \(note.schema).outbox SET claimed_until = NULL WHERE event_id = ANY($1::uuid[]) AND published_at IS NULL",
                    [ids])
                wake.notify()
                continue
            }
            published.increment(by: note.entries.count)
            do {
                try await postgres.execute(
                    "DELETE FROM \(note.schema).outbox WHERE event_id = ANY($1::uuid[]) AND published_at IS NULL", [ids])
            } catch {
                logger.warning("could not delete published rows; the relay may publish them again", metadata: ["error": "\(error)"])
            }
        }
    }
}
