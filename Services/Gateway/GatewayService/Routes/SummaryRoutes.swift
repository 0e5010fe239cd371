import Foundation
import Hummingbird
import KefuModel

/// `POST /admin/summary-categories` and `PUT /admin/summary-categories/{id}` body.
struct SummaryCategoryBody: Codable {
    var name: String
    var parentID: SummaryCategoryID?
    var position: Int?
    enum CodingKeys: String, CodingKey {
        case name, position
        case parentID = "parent_id"
    }
}

/// `POST /agent/sessions/{id}/summary` body.
struct SummaryBody: Codable {
    var categoryIDs: [SummaryCategoryID]
    var note: String?
    enum CodingKeys: String, CodingKey {
        case note
        case categoryIDs = "category_ids"
    }
}

extension Gateway {
    /// Session-summary categories for admins (会话小结分类): `GET/POST admin/summary-categories`,
    /// `PUT/DELETE admin/summary-categories/{id}` (routing's `admin.upsert_summary_category` and
    /// `admin.delete_summary_category`).
    func addSummaryCategoryRoutes(_ api: RouteGroup) {
        api.get("summary-categories") { request, _ in
            let staff = try await staff(request, admin: true)
            return try await forward(.routing, "summary_categories.list", actor: staff.actor)
        }
        api.post("summary-categories") { request, _ in
            let staff = try await staff(request, admin: true)
            let body = try await RequestBody.decode(SummaryCategoryBody.self, from: request, limit: gateway.maxJSONBytes)
            let payload = AdminUpsertSummaryCategory(
                actorID: staff.agentID, categoryID: .random(), parentID: body.parentID, name: body.name, position: body.position ?? 0)
            try validated { () throws(ContractError) in try payload.validate() }
            return try jsonResponse(try await forwarder.command(payload), status: .created)
        }
        api.put("summary-categories/:category_id") { request, context in
            let staff = try await staff(request, admin: true)
            let id: SummaryCategoryID = try request.uuidParameter("category_id", context)
            let body = try await RequestBody.decode(SummaryCategoryBody.self, from: request, limit: gateway.maxJSONBytes)
            let payload = AdminUpsertSummaryCategory(
                actorID: staff.agentID, categoryID: id, parentID: body.parentID, name: body.name, position: body.position ?? 0)
            try validated { () throws(ContractError) in try payload.validate() }
            return try jsonResponse(try await forwarder.command(payload))
        }
        api.delete("summary-categories/:category_id") { request, context in
            let staff = try await staff(request, admin: true)
            let id: SummaryCategoryID = try request.uuidParameter("category_id", context)
            return try jsonResponse(try await forwarder.command(AdminDeleteSummaryCategory(actorID: staff.agentID, categoryID: id)))
        }
    }

    /// The agent's side of session summaries: `GET agent/summary-categories`, `GET agent/summaries/pending`,
    /// `POST agent/sessions/{id}/summary` (routing's `agent.submit_summary`).
    func addAgentSummaryRoutes(_ api: RouteGroup) {
        api.get("summary-categories") { request, _ in
            try await forward(.routing, "summary_categories.list", actor: try await staff(request).actor)
        }
        api.get("summaries/pending") { request, _ in
            try await forward(.routing, "summaries.pending", actor: try await staff(request).actor)
        }
        api.post("sessions/:session_id/summary") { request, context in
            let staff = try await staff(request)
            let session: SessionID = try request.uuidParameter("session_id", context)
            let body = try await RequestBody.decode(SummaryBody.self, from: request, limit: gateway.maxJSONBytes)
            let payload = AgentSubmitSummary(sessionID: session, agentID: staff.agentID, categoryIDs: body.categoryIDs, note: body.note ?? "")
            try validated { () throws(ContractError) in try payload.validate() }
            return try jsonResponse(try await forwarder.command(payload))
        }
    }
}
