import Foundation
import KefuModel
import Postgres
import ServiceRuntime

// A test worker for the cross-process stream reliability test: a real service (runtime, consumer group,
// inbox) whose handler records every `visitor.message` event in `worker.received`. Tests kill -9 it mid-batch.
// WORKER_DELAY_MS slows each event down so a kill lands inside a batch; `visitor.end` events always fail.

let delay = Double(ProcessInfo.processInfo.environment["WORKER_DELAY_MS"] ?? "0") ?? 0
let consumerName = ProcessInfo.processInfo.environment["KEFU_INSTANCE"] ?? "worker"

let received = Migration(
    version: 2,
    name: "received",
    sql: """
        CREATE TABLE received (
            event_id uuid NOT NULL,
            entry_id text NOT NULL,
            consumer text NOT NULL,
            at timestamptz NOT NULL DEFAULT now()
        );
        """)

let definition = ServiceDefinition(
    name: "worker",
    defaultPort: 8099,
    migrations: [received],
    consumers: [
        ConsumerDefinition(
            stream: .inbound, unknownTypes: .deadLetter,
            handlers: [
                .visitorMessage: { event, connection in
                    if delay > 0 { Thread.sleep(forTimeInterval: delay / 1000) }
                    try connection.execute(
                        "INSERT INTO worker.received (event_id, entry_id, consumer) VALUES ($1, $2, $3)",
                        [event.header.id.uuid, event.entryID, consumerName])
                },
                .visitorEnd: { _, _ in
                    throw WorkerError.poison
                },
            ])
    ])

enum WorkerError: Error, CustomStringConvertible {
    case poison
    var description: String { "visitor.end events always fail in the test worker" }
}

await ServiceHost.main(definition)
