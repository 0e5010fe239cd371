import Hummingbird
import HTTPTypes
import KefuModel

extension Gateway {
    /// Knowledge-base categories: `GET/POST admin/knowledge-categories`, `PUT/DELETE admin/knowledge-categories/{id}`.
    func addKnowledgeCategoryRoutes(_ api: RouteGroup) {
        api.get("knowledge-categories") { request, _ in
            let staff = try await staff(request, admin: true)
            return try await forward(.knowledge, "kb_categories.list", actor: staff.actor, params: [:])
        }
        let operations: [(method: HTTPRequest.Method, path: String, query: String, status: HTTPResponse.Status)] = [
            (.post, "knowledge-categories", "kb_categories.create", .created),
            (.put, "knowledge-categories/:id", "kb_categories.update", .ok),
            (.delete, "knowledge-categories/:id", "kb_categories.delete", .ok),
        ]
        for operation in operations {
            api.on(operation.path, method: operation.method) { request, context -> Response in
                let staff = try await staff(request, admin: true)
                var params = operation.method == .delete ? [:] : try await objectBody(request)
                if operation.method != .post {
                    let id: Identifier<QuickReplyTag> = try request.uuidParameter("id", context)
                    params["category_id"] = .string(id.description)
                }
                return try await forward(.knowledge, operation.query, actor: staff.actor, params: params, status: operation.status)
            }
        }
    }
}
