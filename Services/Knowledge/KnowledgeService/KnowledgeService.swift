import Foundation
import KefuModel
import Postgres
import ServiceRuntime

/// The knowledge service: knowledge base, bot answers, smart assist, question capture and quick replies.
/// See `README.md` beside this folder.
public enum KnowledgeService {
    /// The service's short name, schema and default HTTP port.
    public static let name = "knowledge"

    /// The knowledge schema's migrations (versions 2 and up), from the `Migrations` resource folder.
    public static func migrations() throws -> [Migration] {
        try Migration.loadBundled(name, in: .module)
    }

    /// What the runtime needs to run this service. The engine is built when the host starts (stream names
    /// and Redis settings come from the service context); handlers reach it through a holder.
    public static func definition(settings: KnowledgeSettings = KnowledgeSettings()) -> ServiceDefinition {
        let holder = LateBound<KnowledgeEngine>("knowledge engine")
        let handle = holder.handler
        let migrations = Migration.bundled(name, in: .module)
        return ServiceDefinition(
            name: name,
            defaultPort: 8083,
            migrations: migrations,
            consumers: [
                .init(
                    stream: .events, unknownTypes: .acknowledge,
                    handlers: [
                        .sessionAssigned: handle { try $0.sessionAssigned($1, $2) },
                        .sessionTransferred: handle { try $0.sessionTransferred($1, $2) },
                        .sessionQueued: handle { try $0.sessionQueued($1, $2) },
                        .sessionEnded: handle { try $0.sessionEnded($1, $2) },
                        .messageAccepted: handle { try $0.messageAccepted($1, $2) },
                        .feedbackRecorded: handle { try $0.feedbackRecorded($1, $2) },
                    ],
                    check: KnowledgeEngine.check,
                    prepare: { events, connection in try holder.get().prepareEvents(events, connection) }),
                .init(
                    stream: .requests, unknownTypes: .deadLetter,
                    handlers: [
                        .botQuestion: handle { try $0.request($1, $2) },
                        .queryRequest: handle { try $0.request($1, $2) },
                    ],
                    check: KnowledgeEngine.check,
                    prepare: { events, connection in try QuestionBatch.prepare(events, engine: holder.get(), on: connection) }),
            ],
            routes: { router, _ in MatcherRoute.add(to: router, engine: holder.get) },
            backgroundServices: { context in
                let (tokenizer, badLines) = settings.tokenizer()
                for (file, error) in badLines.prefix(100) {
                    context.logger.warning(
                        "knowledge: bad line skipped, the rest applied",
                        metadata: ["file": "\(file)", "line": "\(error.line)", "reason": "\(error.message)"])
                }
                let engine = KnowledgeEngine(
                    schema: context.configuration.service, streams: context.streams, settings: settings,
                    index: KnowledgeIndex(tokenizer: tokenizer),
                    blobs: BlobStore(configuration: context.redis.configuration, prefix: context.streams.prefix),
                    logger: context.logger)
                holder.install(engine)
                return [ChangeFollower(engine: engine, context: context)]
            })
    }
}
