import Foundation
import KefuModel
import Postgres
import ServiceRuntime

/// Answers `query.request` entries on `requests:reporting` with one `reply.result` on `reply_to`, written
/// through the outbox in the inbox transaction (so a request is answered exactly when it is marked
/// processed). Requests past `expires_at` are skipped. Every query is for admins; `stats.rebuild` also for
/// services (operator tools), `monitor.today` and `monitor.history` also for supervisors.
struct QueryHandler: Sendable {
    let settings: ReportingSettings
    let exports: ExportCoordinator
    let timezones = TimezoneCatalog()

    /// The names answered.
    static let names: Set<String> = ["records.list", "records.get", "summary", "export.start", "stats.rebuild", "monitor.today", "monitor.history"]

    func apply(_ event: IncomingEvent, _ connection: PostgresConnection) throws {
        guard let replyTo = event.header.replyTo else { return }
        if let expiry = event.header.expiresAt, expiry < Timestamp.now() { return }
        let replyID = EventID.random()
        var afterCommit: ExportJob?
        let result: ReplyResult
        do {
            let request = try event.decode(QueryRequest.self).data
            try authorize(request)
            let (value, job) = try answer(request, requestID: event.header.id, on: connection)
            afterCommit = job
            result = .success(value)
        } catch let failure as QueryFailure {
            result = .failure(code: failure.code, message: String(failure.message.prefix(500)))
        } catch let error as ContractError {
            result = .failure(code: "invalid_params", message: String("\(error)".prefix(500)))
        }
        let reply = EventEnvelope(
            id: replyID, source: ReportingService.name, correlationID: event.header.id, causationID: event.header.id,
            data: result)
        do {
            try Outbox(schema: ReportingService.name).enqueue(reply, to: replyTo, on: connection)
        } catch {
            if afterCommit != nil { exports.release() }
            throw error
        }
        if let afterCommit { exports.submit(afterCommit) }
    }

    private func authorize(_ request: QueryRequest) throws {
        switch request.actor.role {
        case .admin: return
        case .service where request.name == "stats.rebuild": return
        case .supervisor where request.name == "monitor.today" || request.name == "monitor.history": return
        default:
            guard Self.names.contains(request.name) else { return }
            throw QueryFailure.forbidden("'\(request.name)' is for admins only")
        }
    }

    private func answer(
        _ request: QueryRequest, requestID: EventID, on connection: PostgresConnection
    ) throws -> (JSONValue, ExportJob?) {
        let params = request.params.objectValue ?? [:]
        switch request.name {
        case "records.list":
            return (try RecordQueries.list(params, defaultTimezone: settings.statsTimezone, timezones: timezones, on: connection), nil)
        case "records.get":
            return (try RecordQueries.get(params, on: connection), nil)
        case "summary":
            return (try SummaryQuery.run(params, statsTimezone: settings.statsTimezone, timezones: timezones, on: connection), nil)
        case "monitor.today":
            return (try MonitorTodayQuery.run(statsTimezone: settings.statsTimezone, on: connection), nil)
        case "monitor.history":
            return (try MonitorHistoryQuery.run(params, on: connection), nil)
        case "stats.rebuild":
            return (try StatsRebuild.query(params, statsTimezone: settings.statsTimezone, on: connection), nil)
        case "export.start":
            return try startExport(params, requestID: requestID, on: connection)
        default:
            throw QueryFailure("unknown_query", "reporting answers \(Self.names.sorted().joined(separator: ", ")); not '\(request.name)'")
        }
    }

    private func startExport(
        _ params: [String: JSONValue], requestID: EventID, on connection: PostgresConnection
    ) throws -> (JSONValue, ExportJob?) {
        let request = try ExportRequest.parse(params, defaultTimezone: settings.statsTimezone) { name in
            try timezones.check(name, on: connection)
        }
        try Filters.check(request, on: connection)
        guard let prefix = exports.streamPrefix else {
            throw QueryFailure("exports_unavailable", "the export writer is not running yet; try again in a moment")
        }
        let plan = try ExportSQL.plan(request, statsTimezone: settings.statsTimezone) { try connection.escapeLiteral($0) }
        guard exports.reserve() else {
            throw QueryFailure(
                "too_many_exports", "\(exports.limit) exports are already running; try again when one has finished")
        }
        let key = "\(prefix):export:\(UUID().uuidString.lowercased())"
        let job = ExportJob(plan: plan, bom: request.bom, streamKey: key, requestID: requestID.uuid, kind: request.kind)
        return (.object(["export_stream": .string(key), "filename": .string(request.filename)]), job)
    }
}
