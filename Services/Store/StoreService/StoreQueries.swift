import Foundation
import KefuModel
import Logging
import Postgres
import Redis

/// Answers the store's queries (docs/queries.md, "store"): `history.page`, `sessions.by_visitor`,
/// `image.put`, `image.get`, `file.put`, `file.get`. Every query checks the actor itself.
struct StoreQueries: Sendable {
    let history: HistoryQueries
    let images: ImageQueries
    let files: FileQueries
    let logger: Logger

    /// Queries over `postgres`, with image bytes through `redis` keys under `<prefix>:blob:`.
    init(postgres: PostgresClient, redis: RedisClient, prefix: String, logger: Logger) {
        history = HistoryQueries(postgres: postgres)
        let blobs = Blobs(redis: redis, prefix: prefix + ":blob:")
        images = ImageQueries(postgres: postgres, blobs: blobs)
        files = FileQueries(postgres: postgres, blobs: blobs)
        self.logger = logger
    }

    /// The reply to `request`: a success, or a refusal for anything the request got wrong.
    ///
    /// - Throws: only when PostgreSQL or Redis failed, so that the request stays pending and is answered
    ///   on a later delivery (unless it has expired by then).
    func answer(_ request: EventEnvelope<QueryRequest>) async throws -> ReplyResult {
        let params = QueryParams(request.data.params)
        let actor = request.data.actor
        do {
            let result: JSONValue
            switch request.data.name {
            case "history.page": result = try await history.page(actor, params)
            case "sessions.by_visitor": result = try await history.sessionsByVisitor(actor, params)
            case "image.put": result = try await images.put(actor, params, requestID: request.id.uuid)
            case "image.get": result = try await images.get(actor, params)
            case "file.put": result = try await files.put(actor, params, requestID: request.id.uuid)
            case "file.get": result = try await files.get(actor, params)
            default: throw QueryFailure.unknownQuery(request.data.name)
            }
            return .success(result)
        } catch let failure as QueryFailure {
            return .failure(code: failure.code, message: failure.message)
        } catch let error as PostgresError {
            throw error
        } catch let error as RedisError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            logger.error(
                "query failed unexpectedly", metadata: ["query": "\(request.data.name)", "error": "\(error)"])
            return .failure(code: "store_error", message: "the store could not answer: \(String(describing: error).prefix(300))")
        }
    }
}
