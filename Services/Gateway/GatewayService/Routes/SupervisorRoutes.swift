import Foundation
import Hummingbird
import KefuModel

/// `POST /supervisor/sessions/{id}/transfer` body.
struct SupervisorTransferBody: Decodable {
    var toAgentID: AgentID
    var note: String?
    enum CodingKeys: String, CodingKey {
        case note
        case toAgentID = "to_agent_id"
    }
}

extension Gateway {
    /// The monitor API (监控): `/api/v1/supervisor/…` for supervisors and admins.
    func addSupervisorRoutes(_ router: Router<GatewayRequestContext>) {
        let api = RouteGroup(router: router, prefix: "/api/v1/supervisor", catalog: catalog)
        api.get("monitor") { request, _ in
            let staff = try await supervisor(request)
            return try jsonResponse(try await monitorSnapshot(actor: staff.actor))
        }
        api.get("sessions/:session_id") { request, context in
            let staff = try await supervisor(request)
            let session: SessionID = try request.uuidParameter("session_id", context)
            return try await forward(.routing, "session.get", actor: staff.actor, params: ["session_id": .string(session.description)])
        }
        api.get("sessions/:session_id/history") { request, context in
            let staff = try await supervisor(request)
            let session: SessionID = try request.uuidParameter("session_id", context)
            var params = try queryParams(request, strings: ["kinds"], ints: ["after_seq", "limit"])
            params["session_id"] = .string(session.description)
            return try await forward(.store, "history.page", actor: staff.actor, params: params)
        }
        api.post("sessions/:session_id/transfer") { request, context in
            let staff = try await supervisor(request)
            let session: SessionID = try request.uuidParameter("session_id", context)
            let body = try await RequestBody.decode(SupervisorTransferBody.self, from: request, limit: gateway.maxJSONBytes)
            let payload = SupervisorTransfer(sessionID: session, supervisorID: staff.agentID, toAgentID: body.toAgentID, note: body.note)
            try validated { () throws(ContractError) in try payload.validate() }
            return try jsonResponse(try await forwarder.command(payload))
        }
        api.post("sessions/:session_id/end") { request, context in
            let staff = try await supervisor(request)
            let session: SessionID = try request.uuidParameter("session_id", context)
            return try jsonResponse(try await forwarder.command(SupervisorEndSession(sessionID: session, supervisorID: staff.agentID)))
        }
    }

    /// The supervisor or admin calling (403 for agents).
    func supervisor(_ request: Request) async throws -> StaffIdentity {
        let staff = try await auth.staff(request)
        guard staff.role.mayMonitor else { throw APIError.forbidden("this needs a supervisor or admin account") }
        return staff
    }

    /// The monitor's snapshot: routing's counts, every agent and every queued visitor (paged queries put
    /// together), one queue per skill group (the default queue `group: null` first) with its visitors, today's
    /// counters and the last hour per minute from reporting (`history`, null while reporting does not answer).
    func monitorSnapshot(actor: Actor) async throws -> JSONValue {
        async let counters = try? await forwarder.query(.reporting, "monitor.today", actor: actor)
        async let history = try? await forwarder.query(
            .reporting, "monitor.history", actor: actor, params: ["minutes": .integer(Self.monitorHistoryMinutes)])
        let summary = try await forwarder.query(.routing, "monitor.summary", actor: actor)
        let agents = try await allPages(.routing, "monitor.agents", actor: actor)
        let visitors = try await allPages(.routing, "monitor.queue", actor: actor)
        var byGroup: [String: [JSONValue]] = [:]
        for visitor in visitors { byGroup[visitor["group"]?.stringValue ?? "", default: []].append(visitor) }
        var queues: [JSONValue] = []
        if case .array(let list)? = summary["queues"] {
            for queue in list {
                guard case .object(var members) = queue else { continue }
                members["visitors"] = .array(byGroup[members["group"]?.stringValue ?? ""] ?? [])
                queues.append(.object(members))
            }
        }
        var totals = summary.objectValue ?? [:]
        totals["queues"] = nil
        totals["at"] = nil
        var result: [String: JSONValue] = [
            "at": summary["at"] ?? .null, "totals": .object(totals), "agents": .array(agents), "queues": .array(queues),
        ]
        result["counters"] = await counters ?? .null
        result["history"] = await history ?? .null
        return .object(result)
    }

    /// Minutes of history the monitor's charts start with.
    static let monitorHistoryMinutes: Int64 = 60

    /// Every item of a paged query, following `next_cursor`.
    private func allPages(_ service: ServiceName, _ name: String, actor: Actor) async throws -> [JSONValue] {
        var items: [JSONValue] = []
        var cursor: String?
        repeat {
            var params: [String: JSONValue] = [:]
            if let cursor { params["cursor"] = .string(cursor) }
            let page = try await forwarder.query(service, name, actor: actor, params: params)
            if case .array(let list)? = page["items"] { items += list }
            cursor = page["next_cursor"]?.stringValue
        } while cursor != nil
        return items
    }
}
