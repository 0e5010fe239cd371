import Foundation
import KefuModel
import Postgres
import ServiceLifecycle
import ServiceRuntime

/// The routing service: session state, queue and capacity-bound assignment. See `README.md` beside this folder.
public enum RoutingService {
    /// The service's short name, schema and default HTTP port.
    public static let name = "routing"

    /// The routing schema's migrations (versions 2 and up), from the `Migrations` resource folder.
    public static func migrations() throws -> [Migration] {
        try Migration.loadBundled(name, in: .module)
    }

    /// What the runtime needs to run this service. The engine is built from the service context when the
    /// host starts (stream names depend on the configured prefix); handlers reach it through `holder`.
    public static func definition(tuning: RoutingTuning = .fromEnvironment()) -> ServiceDefinition {
        let holder = LateBound<RoutingEngine>("routing engine")
        let handle = holder.handler
        let check: ConsumerDefinition.Check = { event in try holder.get().check(event) }
        let afterCommit: @Sendable () async -> Void = { (try? holder.get())?.signal.flush() }
        let prepare: ConsumerDefinition.Prepare = { events, connection in
            try RoutingBatch.prepare(events, schema: try holder.get().schema, on: connection)
        }
        let migrations = Migration.bundled(name, in: .module)
        return ServiceDefinition(
            name: name,
            defaultPort: 8081,
            migrations: migrations,
            consumers: [
                .init(
                    stream: .inbound, unknownTypes: .deadLetter,
                    handlers: [
                        .visitorMessage: handle { try $0.visitorMessage($1, $2) },
                        .visitorRequestHuman: handle { try $0.visitorRequestHuman($1, $2) },
                        .visitorEnd: handle { try $0.visitorEnd($1, $2) },
                        .visitorExitQueue: handle { try $0.visitorExitQueue($1, $2) },
                        .visitorRating: handle { try $0.visitorRating($1, $2) },
                        .visitorFeedback: handle { try $0.visitorFeedback($1, $2) },
                        .visitorLeaveMessage: handle { try $0.visitorLeaveMessage($1, $2) },
                    ],
                    check: check, prepare: prepare, afterCommit: afterCommit),
                .init(
                    stream: .commands, unknownTypes: .deadLetter,
                    handlers: [
                        .agentMessage: handle { try $0.agentMessage($1, $2) },
                        .agentTransfer: handle { try $0.agentTransfer($1, $2) },
                        .agentEndSession: handle { try $0.agentEndSession($1, $2) },
                        .agentSetStatus: handle { try $0.agentSetStatus($1, $2) },
                        .agentHeartbeat: handle { try $0.agentHeartbeat($1, $2) },
                        .agentHandleLeaveMessage: handle { try $0.agentHandleLeaveMessage($1, $2) },
                        .adminUpdateSettings: handle { try $0.adminUpdateSettings($1, $2) },
                        .adminUpsertAgent: handle { try $0.adminUpsertAgent($1, $2) },
                        .agentBlockVisitor: handle { try $0.agentBlockVisitor($1, $2) },
                        .adminLiftBlock: handle { try $0.adminLiftBlock($1, $2) },
                        .adminBlockVisitor: handle { try $0.adminBlockVisitor($1, $2) },
                        .supervisorTransfer: handle { try $0.supervisorTransfer($1, $2) },
                        .supervisorEndSession: handle { try $0.supervisorEndSession($1, $2) },
                        .agentNote: handle { try $0.agentNote($1, $2) },
                        .adminUpsertSummaryCategory: handle { try $0.adminUpsertSummaryCategory($1, $2) },
                        .adminDeleteSummaryCategory: handle { try $0.adminDeleteSummaryCategory($1, $2) },
                        .agentSubmitSummary: handle { try $0.agentSubmitSummary($1, $2) },
                        .botAnswer: handle { try $0.botAnswer($1, $2) },
                    ],
                    check: check, prepare: prepare, afterCommit: afterCommit),
                .init(
                    stream: .requests, unknownTypes: .deadLetter,
                    handlers: [.queryRequest: handle { try $0.query($1, $2) }],
                    check: check),
            ],
            backgroundServices: { context in
                let engine = RoutingEngine(
                    schema: context.configuration.service, streams: context.streams, tuning: tuning,
                    publisher: context.publisher, logger: context.logger)
                holder.install(engine)
                return [RoutingTicker(engine: engine, postgres: context.postgres, readiness: context.readiness, logger: context.logger)]
            })
    }
}
