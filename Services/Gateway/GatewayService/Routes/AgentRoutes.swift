import Foundation
import Hummingbird
import KefuModel

/// `POST /agent/sessions/{id}/messages` body.
struct AgentSendBody: Codable {
    var clientMessageID: String
    var text: String?
    var imageID: ImageID?
    var fileID: FileID?
    enum CodingKeys: String, CodingKey {
        case text
        case clientMessageID = "client_message_id"
        case imageID = "image_id"
        case fileID = "file_id"
    }
}

/// `PUT /agent/status` body.
struct StatusBody: Decodable { var status: AgentStatus }

/// `POST /agent/sessions/{id}/transfer` body: to an agent or to a skill group's queue.
struct TransferBody: Decodable {
    var toAgentID: AgentID?
    var toGroup: String?
    var note: String?
    enum CodingKeys: String, CodingKey {
        case note
        case toAgentID = "to_agent_id"
        case toGroup = "to_group"
    }
}

/// `POST /agent/sessions/{id}/block` body: a reason and, for a timed block, its length in minutes.
struct BlockBody: Decodable {
    var reason: String
    var durationMinutes: Int?
    enum CodingKeys: String, CodingKey {
        case reason
        case durationMinutes = "duration_minutes"
    }
}

/// `POST /agent/sessions/{id}/notes` body: an internal note (内部备注), staff only.
struct NoteBody: Codable {
    var clientNoteID: String
    var text: String
    enum CodingKeys: String, CodingKey {
        case text
        case clientNoteID = "client_note_id"
    }
}

/// `POST /agent/leave-messages/{id}/claim|close` body.
struct LeaveMessageNoteBody: Decodable { var note: String? }

extension Gateway {
    /// The workbench API: `/api/v1/agent/…` (agents and admins).
    func addAgentRoutes(_ router: Router<GatewayRequestContext>) {
        let api = RouteGroup(router: router, prefix: "/api/v1/agent", catalog: catalog)
        addAgentSummaryRoutes(api)
        api.get("me") { request, _ in
            let staff = try await staff(request)
            var result = (try? await forwarder.query(.routing, "agent.me", actor: staff.actor))?.objectValue ?? [:]
            if let account = try await accounts.get(staff.agentID.uuid) {
                result["agent_id"] = .string(staff.agentID.description)
                result["username"] = .string(account.username)
                result["display_name"] = .string(account.displayName)
                result["role"] = .string(account.role.rawValue)
                result["capacity"] = .integer(Int64(account.capacity))
            }
            return try jsonResponse(JSONValue.object(result))
        }
        api.put("status") { request, _ in
            let staff = try await staff(request)
            let body = try await RequestBody.decode(StatusBody.self, from: request, limit: gateway.maxJSONBytes)
            return try jsonResponse(try await forwarder.command(AgentSetStatus(agentID: staff.agentID, status: body.status)))
        }
        api.get("sessions") { request, _ in
            try await forward(.routing, "sessions.mine", actor: try await staff(request).actor)
        }
        api.get("groups") { request, _ in
            try await forward(.routing, "queue.groups", actor: try await staff(request).actor)
        }
        api.get("queue") { request, _ in
            try await forward(.routing, "queue.summary", actor: try await staff(request).actor)
        }
        api.get("agents") { request, _ in
            let staff = try await staff(request)
            var params = try queryParams(request, bools: ["online_only"])
            if params["online_only"] == nil { params["online_only"] = .bool(true) }
            return try await forward(.routing, "agents.list", actor: staff.actor, params: params)
        }
        api.get("sessions/:session_id") { request, context in
            let staff = try await staff(request)
            let session: SessionID = try request.uuidParameter("session_id", context)
            return try await forward(.routing, "session.get", actor: staff.actor, params: ["session_id": .string(session.description)])
        }
        api.get("sessions/:session_id/history") { request, context in
            let staff = try await staff(request)
            let session: SessionID = try request.uuidParameter("session_id", context)
            var params = try queryParams(request, strings: ["kinds"], ints: ["after_seq", "limit"])
            params["session_id"] = .string(session.description)
            do {
                return try await forward(.store, "history.page", actor: staff.actor, params: params)
            } catch let error as APIError where error.status == .forbidden && staff.role == .agent {
                // Store learns an assignment from the events stream a moment after routing made it; the
                // gateway vouches for an agent that routing has just assigned.
                guard await isAssigned(staff, to: session) else { throw error }
                return try await forward(.store, "history.page", actor: Actor(role: .admin, agentID: staff.agentID), params: params)
            }
        }
        api.get("sessions/:session_id/visitor") { request, context in
            let staff = try await staff(request)
            let session: SessionID = try request.uuidParameter("session_id", context)
            let current = try await forwarder.query(.routing, "session.get", actor: staff.actor, params: ["session_id": .string(session.description)])
            var result: [String: JSONValue] = ["session": current]
            if let channel = current["channel"], let visitor = current["visitor_id"] {
                result["previous_sessions"] = try await forwarder.query(
                    .store, "sessions.by_visitor", actor: staff.actor,
                    params: ["channel": channel, "visitor_id": visitor, "limit": .integer(20)])["items"] ?? .array([])
            }
            return try jsonResponse(JSONValue.object(result))
        }
        api.post("sessions/:session_id/messages") { request, context in
            let staff = try await staff(request)
            let session: SessionID = try request.uuidParameter("session_id", context)
            let body = try await RequestBody.decode(AgentSendBody.self, from: request, limit: gateway.maxJSONBytes)
            let content = try await messageContent(text: body.text, imageID: body.imageID, fileID: body.fileID, actor: staff.actor)
            let payload = AgentMessage(sessionID: session, agentID: staff.agentID, clientMessageID: body.clientMessageID, content: content)
            try validated { () throws(ContractError) in try payload.validate() }
            if let image = body.imageID { try await uploads.requireOwned([image], by: staff.actor) }
            let forwarder = forwarder
            return try await idempotent(scope: "agent:\(staff.agentID):\(session)", key: body.clientMessageID, request: body) { id in
                try await forwarder.command(payload, id: id)
            }
        }
        api.post("sessions/:session_id/notes") { request, context in
            let staff = try await staff(request)
            let session: SessionID = try request.uuidParameter("session_id", context)
            let body = try await RequestBody.decode(NoteBody.self, from: request, limit: gateway.maxJSONBytes)
            let payload = AgentNote(
                sessionID: session, agentID: staff.agentID, role: staff.actor.role, clientNoteID: body.clientNoteID, text: body.text)
            try validated { () throws(ContractError) in try payload.validate() }
            let forwarder = forwarder
            return try await idempotent(scope: "note:\(staff.agentID):\(session)", key: body.clientNoteID, request: body) { id in
                try await forwarder.command(payload, id: id)
            }
        }
        api.post("sessions/:session_id/transfer") { request, context in
            let staff = try await staff(request)
            let session: SessionID = try request.uuidParameter("session_id", context)
            let body = try await RequestBody.decode(TransferBody.self, from: request, limit: gateway.maxJSONBytes)
            guard body.toAgentID != staff.agentID else {
                throw APIError.badRequest("transfer_to_self", "choose another agent than yourself")
            }
            let payload = AgentTransfer(
                sessionID: session, agentID: staff.agentID, toAgentID: body.toAgentID, toGroup: body.toGroup, note: body.note)
            try validated { () throws(ContractError) in try payload.validate() }
            return try jsonResponse(try await forwarder.command(payload))
        }
        api.post("sessions/:session_id/end") { request, context in
            let staff = try await staff(request)
            let session: SessionID = try request.uuidParameter("session_id", context)
            return try jsonResponse(try await forwarder.command(AgentEndSession(sessionID: session, agentID: staff.agentID)))
        }
        api.post("sessions/:session_id/block") { request, context in
            let staff = try await staff(request)
            let session: SessionID = try request.uuidParameter("session_id", context)
            let body = try await RequestBody.decode(BlockBody.self, from: request, limit: gateway.maxJSONBytes)
            let payload = AgentBlockVisitor(
                sessionID: session, agentID: staff.agentID, reason: body.reason, durationMinutes: body.durationMinutes)
            try validated { () throws(ContractError) in try payload.validate() }
            return try jsonResponse(try await forwarder.command(payload))
        }
        api.post("sessions/:session_id/capture") { request, context in
            let staff = try await staff(request)
            let session: SessionID = try request.uuidParameter("session_id", context)
            var params = try await objectBody(request)
            params["session_id"] = .string(session.description)
            return try await forward(.knowledge, "kb.capture", actor: staff.actor, params: params, status: .created)
        }
        api.post("assist") { request, _ in
            let staff = try await staff(request)
            let params = try await objectBody(request)
            guard params["text"]?.stringValue != nil else { throw APIError.badRequest("invalid_params", "`text` is required") }
            return try await forward(.knowledge, "assist.suggest", actor: staff.actor, params: params)
        }
        api.get("quick-replies") { request, _ in
            let staff = try await staff(request)
            let params = try queryParams(request, strings: ["library", "category_id", "q"])
            if params["library"] != nil {
                return try await forward(.knowledge, "quick_replies.list", actor: staff.actor, params: params)
            }
            var both: [String: JSONValue] = [:]
            for library in ["public", "personal"] {
                var scoped = params
                scoped["library"] = .string(library)
                both[library] = try await forwarder.query(.knowledge, "quick_replies.list", actor: staff.actor, params: scoped)
            }
            return try jsonResponse(JSONValue.object(both))
        }
        addQuickReplyRoutes(api, library: "personal", admin: false)
        api.get("leave-messages") { request, _ in
            let staff = try await staff(request)
            let params = try queryParams(request, strings: ["state", "cursor"], ints: ["limit"])
            return try await forward(.routing, "leave_messages.list", actor: staff.actor, params: params)
        }
        for action in [LeaveMessageAction.claim, .close] {
            api.post("leave-messages/:leave_message_id/\(action.rawValue)") { request, context in
                let staff = try await staff(request)
                let id: LeaveMessageID = try request.uuidParameter("leave_message_id", context)
                let body = try await RequestBody.decode(LeaveMessageNoteBody.self, from: request, limit: gateway.maxJSONBytes)
                let payload = AgentHandleLeaveMessage(agentID: staff.agentID, leaveMessageID: id, action: action, note: body.note)
                try validated { () throws(ContractError) in try payload.validate() }
                return try jsonResponse(try await forwarder.command(payload))
            }
        }
        api.post("images") { request, _ in
            try await uploadImage(request, actor: try await staff(request).actor)
        }
        api.get("images/:image_id") { request, context in
            try await downloadImage(request, context: context, actor: try await staff(request).actor)
        }
        api.post("files") { request, _ in
            try await uploadFile(request, actor: try await staff(request).actor)
        }
        api.get("files/:file_id") { request, context in
            try await downloadFile(request, context: context, actor: try await staff(request).actor)
        }
        api.get("ws") { request, context in
            let staff = try await auth.staff(request, allowQuery: true)
            return try await webSocket(request, context: context, principal: .staff(staff))
        }
    }

    /// Whether routing has assigned `session` to `staff`: from the `session.assigned`/`.transferred` events
    /// this instance has read, else from routing's `session.get`.
    func isAssigned(_ staff: StaffIdentity, to session: SessionID) async -> Bool {
        let agent = staff.agentID.description
        if hub.serves(agentID: agent, session: session.description) { return true }
        let current = try? await forwarder.query(.routing, "session.get", actor: staff.actor, params: ["session_id": .string(session.description)])
        return current?["agent_id"]?.stringValue?.lowercased() == agent && current?["state"]?.stringValue != "ended"
    }

    /// Quick-reply CRUD of one library under `group` (`personal` for agents, `public` for admins).
    func addQuickReplyRoutes(_ group: RouteGroup, library: String, admin: Bool) {
        let operations: [(method: HTTPRequest.Method, path: String, query: String, id: String?, status: HTTPResponse.Status)] = [
            (.post, "quick-replies", "quick_replies.create", nil, .created),
            (.post, "quick-replies/reorder", "quick_replies.reorder", nil, .ok),
            (.put, "quick-replies/:id", "quick_replies.update", "id", .ok),
            (.delete, "quick-replies/:id", "quick_replies.delete", "id", .ok),
            (.post, "quick-reply-categories", "quick_reply_categories.create", nil, .created),
            (.put, "quick-reply-categories/:id", "quick_reply_categories.update", "category_id", .ok),
            (.delete, "quick-reply-categories/:id", "quick_reply_categories.delete", "category_id", .ok),
        ]
        for operation in operations {
            group.on(operation.path, method: operation.method) { request, context -> Response in
                let staff = try await staff(request, admin: admin)
                var params = operation.method == .delete ? [:] : try await objectBody(request)
                params["library"] = .string(library)
                if let idName = operation.id {
                    let id: Identifier<QuickReplyTag> = try request.uuidParameter("id", context)
                    params[idName] = .string(id.description)
                }
                return try await forward(.knowledge, operation.query, actor: staff.actor, params: params, status: operation.status)
            }
        }
    }
}

/// Tag for quick-reply and category ids in paths.
enum QuickReplyTag {}
