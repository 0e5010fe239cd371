import Foundation
import Hummingbird
import KefuModel

/// `GET /matcher?q=…&limit=…` on the service's HTTP port: what this instance's matcher holds and would
/// match, without touching PostgreSQL — for operators comparing instances (and for the tests proving
/// that an edit reaches every instance). Like `/metrics`, it belongs on an internal port.
enum MatcherRoute {
    static func add(to router: Router<BasicRequestContext>, engine: @escaping @Sendable () throws -> KnowledgeEngine) {
        router.get("matcher") { request, _ -> Response in
            let index = try engine().index
            let query = request.uri.queryParameters.get("q") ?? ""
            let limit = min(max(Int(request.uri.queryParameters.get("limit") ?? "") ?? 5, 1), 50)
            let matches: [JSONValue] = query.isEmpty ? [] : index.search(query, limit: limit).map { hit in
                .object([
                    "entry_id": .string(hit.entryID), "score": .number(hit.score),
                    "confidence": .number(KnowledgeEngine.rounded(hit.confidence)),
                ])
            }
            let body = JSONValue.object([
                "loaded": .bool(index.isLoaded), "entries": .integer(Int64(index.count)),
                "high_water_revision": .integer(index.highWater), "lexicon_revision": .integer(index.lexiconRevision),
                "matches": .array(matches),
            ])
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            return Response(
                status: .ok,
                headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(body))))
        }
    }
}
