import Hummingbird
import KefuModel

extension Gateway {
    /// 未知问题 (admin): `GET admin/unknown-questions`, `POST admin/unknown-questions/similar` (add a group's
    /// question to an entry) and `POST admin/unknown-questions/handled` (created an entry from it, or ignored it).
    func addUnknownQuestionRoutes(_ api: RouteGroup) {
        api.get("unknown-questions") { request, _ in
            let staff = try await staff(request, admin: true)
            let params = try queryParams(request, strings: [], ints: ["limit", "offset"])
            return try await forward(.knowledge, "unknown_questions.list", actor: staff.actor, params: params)
        }
        api.post("unknown-questions/similar") { request, _ in
            let staff = try await staff(request, admin: true)
            return try await forward(.knowledge, "unknown_questions.add_similar", actor: staff.actor, params: try await objectBody(request))
        }
        api.post("unknown-questions/handled") { request, _ in
            let staff = try await staff(request, admin: true)
            return try await forward(.knowledge, "unknown_questions.handle", actor: staff.actor, params: try await objectBody(request))
        }
    }
}
