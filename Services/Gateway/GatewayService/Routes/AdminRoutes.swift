import Foundation
import Hummingbird
import KefuModel

/// `PUT /admin/accounts/{id}/groups` body: the skill groups the agent serves.
struct GroupsBody: Decodable {
    var groups: [String]
}

/// `PUT /admin/settings` body.
struct SettingsBody: Decodable {
    var expectedVersion: Int?
    var settings: JSONValue
    enum CodingKeys: String, CodingKey {
        case settings
        case expectedVersion = "expected_version"
    }
}

extension Gateway {
    /// The admin API: `/api/v1/admin/…` (admins only).
    func addAdminRoutes(_ router: Router<GatewayRequestContext>) {
        let api = RouteGroup(router: router, prefix: "/api/v1/admin", catalog: catalog)
        addAccountRoutes(api)
        api.get("settings") { request, _ in
            try await forward(.routing, "settings.get", actor: try await staff(request, admin: true).actor)
        }
        api.put("settings") { request, _ in
            let staff = try await staff(request, admin: true)
            let body = try await RequestBody.decode(SettingsBody.self, from: request, limit: gateway.maxJSONBytes)
            let payload = AdminUpdateSettings(actorID: staff.agentID, expectedVersion: body.expectedVersion, settings: body.settings)
            try validated { () throws(ContractError) in try payload.validate() }
            return try jsonResponse(try await forwarder.command(payload))
        }
        api.get("settings/audit") { request, _ in
            let staff = try await staff(request, admin: true)
            return try await forward(.routing, "settings.audit", actor: staff.actor, params: try queryParams(request, strings: ["cursor"], ints: ["limit"]))
        }
        api.get("quick-replies") { request, _ in
            let staff = try await staff(request, admin: true)
            var params = try queryParams(request, strings: ["category_id", "q"])
            params["library"] = .string("public")
            return try await forward(.knowledge, "quick_replies.list", actor: staff.actor, params: params)
        }
        addQuickReplyRoutes(api, library: "public", admin: true)
        addKnowledgeRoutes(api)
        api.get("records") { request, _ in
            let staff = try await staff(request, admin: true)
            let params = try queryParams(
                request, strings: ["from", "to", "tz", "type", "channel", "agent_id", "summary_category_id", "cursor"],
                ints: ["rating", "limit"])
            return try await forward(.reporting, "records.list", actor: staff.actor, params: params)
        }
        api.get("records/:session_id") { request, context in
            let staff = try await staff(request, admin: true)
            let session: SessionID = try request.uuidParameter("session_id", context)
            return try await forward(.reporting, "records.get", actor: staff.actor, params: ["session_id": .string(session.description)])
        }
        api.get("reports/summary") { request, _ in
            let staff = try await staff(request, admin: true)
            return try await forward(.reporting, "summary", actor: staff.actor, params: try queryParams(request, strings: ["from", "to", "tz"]))
        }
        api.get("exports/:kind") { request, context in
            let staff = try await staff(request, admin: true)
            guard let kind = context.parameters.get("kind"), ["sessions", "daily", "agents", "categories"].contains(kind) else {
                throw APIError.notFound("unknown_export", "exports are sessions, daily, agents or categories")
            }
            return try await streamExport(request, kind: kind, actor: staff.actor)
        }
        api.get("groups") { request, _ in
            let staff = try await staff(request, admin: true)
            return try await forward(.routing, "queue.groups", actor: staff.actor)
        }
        api.put("accounts/:agent_id/groups") { request, context in
            let staff = try await staff(request, admin: true)
            let id: AgentID = try request.uuidParameter("agent_id", context)
            let body = try await RequestBody.decode(GroupsBody.self, from: request, limit: gateway.maxJSONBytes)
            guard let account = try await accounts.get(id.uuid) else {
                throw APIError.notFound("unknown_agent", "no account \(id)")
            }
            let payload = AdminUpsertAgent(
                actorID: staff.agentID, agentID: id, name: account.displayName, capacity: account.capacity,
                enabled: !account.disabled, groups: body.groups)
            try validated { () throws(ContractError) in try payload.validate() }
            return try jsonResponse(try await forwarder.command(payload))
        }
        api.get("assignments") { request, _ in
            let staff = try await staff(request, admin: true)
            let params = try queryParams(request, strings: ["session_id", "agent_id"], ints: ["limit"])
            return try await forward(.routing, "assignments.audit", actor: staff.actor, params: params)
        }
    }

    private func addAccountRoutes(_ api: RouteGroup) {
        api.get("blocks") { request, _ in
            let staff = try await staff(request, admin: true)
            let params = try queryParams(request, strings: ["channel", "visitor_id"], ints: ["limit"], bools: ["active"])
            return try await forward(.routing, "blocks.list", actor: staff.actor, params: params)
        }
        api.post("blocks/:block_id/lift") { request, context in
            let staff = try await staff(request, admin: true)
            let block: BlockID = try request.uuidParameter("block_id", context)
            return try jsonResponse(try await forwarder.command(AdminLiftBlock(actorID: staff.agentID, blockID: block)))
        }
        api.post("sessions/:session_id/block") { request, context in
            let staff = try await staff(request, admin: true)
            let session: SessionID = try request.uuidParameter("session_id", context)
            let body = try await RequestBody.decode(BlockBody.self, from: request, limit: gateway.maxJSONBytes)
            let payload = AdminBlockVisitor(
                actorID: staff.agentID, sessionID: session, reason: body.reason, durationMinutes: body.durationMinutes)
            try validated { () throws(ContractError) in try payload.validate() }
            return try jsonResponse(try await forwarder.command(payload))
        }
        api.get("accounts") { request, _ in
            _ = try await staff(request, admin: true)
            return try jsonResponse(["items": try await accounts.list()])
        }
        api.post("accounts") { request, _ in
            let staff = try await staff(request, admin: true)
            let body = try await RequestBody.decode(NewAccount.self, from: request, limit: gateway.maxJSONBytes)
            return try jsonResponse(try await accounts.create(body, by: staff.agentID), status: .created)
        }
        api.get("accounts/:agent_id") { request, context in
            _ = try await staff(request, admin: true)
            let id: AgentID = try request.uuidParameter("agent_id", context)
            guard let account = try await accounts.get(id.uuid) else {
                throw APIError.notFound("unknown_agent", "no account \(id)")
            }
            return try jsonResponse(account)
        }
        api.patch("accounts/:agent_id") { request, context in
            let staff = try await staff(request, admin: true)
            let id: AgentID = try request.uuidParameter("agent_id", context)
            let changes = try await RequestBody.decode(AccountChanges.self, from: request, limit: gateway.maxJSONBytes)
            if id == staff.agentID, changes.disabled == true || (changes.role != nil && changes.role != .admin) {
                throw APIError.conflict("self_lockout", "you cannot disable your own account or remove your own admin role")
            }
            let account = try await accounts.update(id.uuid, changes, by: staff.agentID)
            // Every instance closes the sockets when routing's `agent.updated` says so; this one at once.
            if account.disabled { await hub.closeAgent(id.description) }
            return try jsonResponse(account)
        }
    }

    private func addKnowledgeRoutes(_ api: RouteGroup) {
        addKnowledgeCategoryRoutes(api)
        addUnknownQuestionRoutes(api)
        addLexiconRoutes(api)
        addSummaryCategoryRoutes(api)
        api.get("knowledge") { request, _ in
            let staff = try await staff(request, admin: true)
            let params = try queryParams(request, strings: ["q", "category", "cursor"], ints: ["limit"], bools: ["enabled"])
            return try await forward(.knowledge, "kb.list", actor: staff.actor, params: params)
        }
        api.post("knowledge") { request, _ in
            let staff = try await staff(request, admin: true)
            return try await forward(.knowledge, "kb.create", actor: staff.actor, params: try await objectBody(request), status: .created)
        }
        api.post("knowledge/test") { request, _ in
            let staff = try await staff(request, admin: true)
            let params = try await objectBody(request)
            guard params["question"]?.stringValue != nil else { throw APIError.badRequest("invalid_params", "`question` is required") }
            return try await forward(.knowledge, "kb.test", actor: staff.actor, params: params)
        }
        api.post("knowledge/import") { request, _ in
            let staff = try await staff(request, admin: true)
            let format = request.query("format") ?? "csv"
            guard ["csv", "json"].contains(format) else { throw APIError.badRequest("invalid_params", "`format` is csv or json") }
            let bytes = try await RequestBody.bytes(request, limit: gateway.maxImageBytes)
            guard String(validating: bytes, as: UTF8.self) != nil else {
                throw APIError.badRequest("invalid_utf8", "the import file must be UTF-8")
            }
            let key = blobKey()
            _ = try await context.redis.send([Array("SET".utf8), Array(key.utf8), bytes, Array("EX".utf8), Array("300".utf8)])
            let createCategories = request.query("create_categories") == "true"
            return try await forward(
                .knowledge, "kb.import", actor: staff.actor,
                params: ["blob_key": .string(key), "format": .string(format), "create_categories": .bool(createCategories)])
        }
        api.get("knowledge/export") { request, _ in
            let staff = try await staff(request, admin: true)
            let format = request.query("format") ?? "csv"
            guard ["csv", "json"].contains(format) else { throw APIError.badRequest("invalid_params", "`format` is csv or json") }
            let result = try await forwarder.query(.knowledge, "kb.export", actor: staff.actor, params: ["format": .string(format)])
            guard let key = result["blob_key"]?.stringValue, key.hasPrefix("\(context.streams.prefix):blob:") else {
                throw APIError(.badGateway, "upstream_error", "knowledge answered without a usable blob key")
            }
            let replies = try await context.redis.pipeline([["GET", key], ["DEL", key]])
            guard let bytes = replies.first?.bytes else { throw APIError(.badGateway, "upstream_error", "the export expired; try again") }
            return Response(
                status: .ok,
                headers: [
                    .contentType: format == "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
                    .contentDisposition: "attachment; filename=\"knowledge.\(format)\"", .cacheControl: "no-store",
                ],
                body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        api.get("knowledge/:entry_id") { request, context in
            let staff = try await staff(request, admin: true)
            let id: KnowledgeEntryID = try request.uuidParameter("entry_id", context)
            return try await forward(.knowledge, "kb.get", actor: staff.actor, params: ["entry_id": .string(id.description)])
        }
        api.put("knowledge/:entry_id") { request, context in
            let staff = try await staff(request, admin: true)
            let id: KnowledgeEntryID = try request.uuidParameter("entry_id", context)
            var params = try await objectBody(request)
            params["entry_id"] = .string(id.description)
            return try await forward(.knowledge, "kb.update", actor: staff.actor, params: params)
        }
        api.delete("knowledge/:entry_id") { request, context in
            let staff = try await staff(request, admin: true)
            let id: KnowledgeEntryID = try request.uuidParameter("entry_id", context)
            return try await forward(.knowledge, "kb.delete", actor: staff.actor, params: ["entry_id": .string(id.description)])
        }
    }
}
