import Hummingbird
import HTTPTypes
import KefuModel

extension Gateway {
    /// The matcher's admin words and synonyms (词库 / 同义词): `GET/POST admin/knowledge-words`,
    /// `DELETE admin/knowledge-words/{id}`, `POST admin/knowledge-words/import` (a text file, one word per
    /// line), and the same under `admin/knowledge-synonyms` (one group per line).
    func addLexiconRoutes(_ api: RouteGroup) {
        for (path, query, idParam) in [("knowledge-words", "kb_words", "word_id"), ("knowledge-synonyms", "kb_synonyms", "synonym_id")] {
            api.get(path) { request, _ in
                let staff = try await staff(request, admin: true)
                let params = try queryParams(request, strings: ["q", "cursor"], ints: ["limit"])
                return try await forward(.knowledge, "\(query).list", actor: staff.actor, params: params)
            }
            api.post(path) { request, _ in
                let staff = try await staff(request, admin: true)
                return try await forward(.knowledge, "\(query).create", actor: staff.actor, params: try await objectBody(request), status: .created)
            }
            api.delete("\(path)/:id") { request, context in
                let staff = try await staff(request, admin: true)
                let id: Identifier<QuickReplyTag> = try request.uuidParameter("id", context)
                return try await forward(.knowledge, "\(query).delete", actor: staff.actor, params: [idParam: .string(id.description)])
            }
            api.post("\(path)/import") { request, _ in
                let staff = try await staff(request, admin: true)
                let bytes = try await RequestBody.bytes(request, limit: gateway.maxImageBytes)
                guard String(validating: bytes, as: UTF8.self) != nil else {
                    throw APIError.badRequest("invalid_utf8", "the import file must be UTF-8")
                }
                let key = blobKey()
                _ = try await context.redis.send([Array("SET".utf8), Array(key.utf8), bytes, Array("EX".utf8), Array("300".utf8)])
                return try await forward(.knowledge, "\(query).import", actor: staff.actor, params: ["blob_key": .string(key)])
            }
        }
    }
}
