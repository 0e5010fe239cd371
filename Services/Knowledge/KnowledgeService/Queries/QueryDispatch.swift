import Foundation
import KefuModel
import Postgres
import ServiceRuntime

/// Why a request entry could not be handled at all (it is retried, then dead-lettered).
enum KnowledgeHandlerError: Error, CustomStringConvertible {
    case unexpectedType(String)
    case malformed(type: String, reason: String)

    var description: String {
        switch self {
        case .unexpectedType(let type): return "knowledge does not handle \(type) on this stream"
        case .malformed(let type, let reason): return "malformed \(type) that cannot be answered: \(reason)"
        }
    }
}

/// Who may do what: the actor rules every query checks here, whatever the gateway checked before.
struct Caller: Sendable {
    let agentID: UUID
    let isAdmin: Bool

    /// Agents and admins (with their account id); anyone else is refused.
    static func staff(_ actor: Actor) throws -> Caller {
        guard actor.role == .agent || actor.role == .admin, let id = actor.agentID else {
            throw Refusal(.forbidden, "only agents and admins may do this")
        }
        return Caller(agentID: id.uuid, isAdmin: actor.role == .admin)
    }

    /// Admins only.
    static func admin(_ actor: Actor) throws -> Caller {
        let caller = try staff(actor)
        guard caller.isAdmin else { throw Refusal(.forbidden, "only an admin may do this") }
        return caller
    }
}

extension KnowledgeEngine {
    /// The read-time check of both consumers: an entry whose data can never be handled is dead-lettered at
    /// once with the reason, except a `query.request`, which is answered with `invalid_params` instead.
    @Sendable static func check(_ event: IncomingEvent) throws {
        guard event.header.type != .queryRequest else { return }
        _ = try event.decodeAny()
    }

    /// Handles an entry of `requests:knowledge`: `bot.question` or `query.request`. Requests past their
    /// `expires_at` are acknowledged without an answer.
    func request(_ event: IncomingEvent, _ connection: PostgresConnection) throws {
        guard !Self.expired(event.header) else {
            logger.debug("skipped an expired request", metadata: ["id": "\(event.header.id)"])
            return
        }
        switch event.header.type {
        case .botQuestion: try botQuestion(event, connection)
        case .queryRequest: try query(event, connection)
        default: throw KnowledgeHandlerError.unexpectedType(event.header.type.rawValue)
        }
    }

    /// Answers a `query.request` with one `reply.result`.
    func query(_ event: IncomingEvent, _ connection: PostgresConnection) throws {
        try run(event.header, on: connection) { publication in
            let request: QueryRequest
            do {
                request = try event.decode(QueryRequest.self).data
            } catch {
                throw Refusal(.invalidParams, "the request is malformed: \(error)")
            }
            let params = Params(request.params.objectValue ?? [:])
            let result = try answer(request.name, actor: request.actor, params: params, connection, &publication)
            try publication.reply(ReplyResult.success(result))
        }
    }

    private func answer(
        _ name: String, actor: Actor, params: Params, _ connection: PostgresConnection, _ publication: inout Publication
    ) throws -> JSONValue {
        switch name {
        case "kb.list": return try kbList(try Caller.staff(actor), params, connection)
        case "kb.get": return try kbGet(try Caller.staff(actor), params, connection)
        case "kb.create": return try kbCreate(try Caller.admin(actor), params, connection, &publication)
        case "kb.update": return try kbUpdate(try Caller.admin(actor), params, connection, &publication)
        case "kb.delete": return try kbDelete(try Caller.admin(actor), params, connection, &publication)
        case "kb.import": return try kbImport(try Caller.admin(actor), params, connection, &publication)
        case "kb.export": return try kbExport(try Caller.admin(actor), params, connection)
        case "kb.test": return try kbTest(try Caller.staff(actor), params, connection)
        case "kb.capture": return try kbCapture(try Caller.staff(actor), params, connection, &publication)
        case "unknown_questions.list": return try unknownQuestionsList(try Caller.admin(actor), params, connection)
        case "unknown_questions.add_similar":
            return try unknownQuestionsAddSimilar(try Caller.admin(actor), params, connection, &publication)
        case "unknown_questions.handle": return try unknownQuestionsHandle(try Caller.admin(actor), params, connection)
        case "assist.suggest": return try assistSuggest(try Caller.staff(actor), params, connection)
        case "kb_categories.list": return try categoriesList(try Caller.staff(actor), connection)
        case "kb_categories.create": return try categoriesCreate(try Caller.admin(actor), params, connection)
        case "kb_categories.update": return try categoriesUpdate(try Caller.admin(actor), params, connection)
        case "kb_categories.delete": return try categoriesDelete(try Caller.admin(actor), params, connection)
        case "kb_words.list": return try wordsList(try Caller.admin(actor), params, connection)
        case "kb_words.create": return try wordCreate(try Caller.admin(actor), params, connection)
        case "kb_words.delete": return try wordDelete(try Caller.admin(actor), params, connection)
        case "kb_words.import": return try wordsImport(try Caller.admin(actor), params, connection)
        case "kb_synonyms.list": return try synonymsList(try Caller.admin(actor), params, connection)
        case "kb_synonyms.create": return try synonymCreate(try Caller.admin(actor), params, connection)
        case "kb_synonyms.delete": return try synonymDelete(try Caller.admin(actor), params, connection)
        case "kb_synonyms.import": return try synonymsImport(try Caller.admin(actor), params, connection)
        case "quick_replies.list": return try quickRepliesList(try Caller.staff(actor), params, connection)
        case "quick_replies.create": return try quickReplyCreate(try Caller.staff(actor), params, connection)
        case "quick_replies.update": return try quickReplyUpdate(try Caller.staff(actor), params, connection)
        case "quick_replies.delete": return try quickReplyDelete(try Caller.staff(actor), params, connection)
        case "quick_replies.reorder": return try quickRepliesReorder(try Caller.staff(actor), params, connection)
        case "quick_reply_categories.create": return try quickReplyCategoryCreate(try Caller.staff(actor), params, connection)
        case "quick_reply_categories.update": return try quickReplyCategoryUpdate(try Caller.staff(actor), params, connection)
        case "quick_reply_categories.delete": return try quickReplyCategoryDelete(try Caller.staff(actor), params, connection)
        case "quick_reply_categories.reorder": return try quickReplyCategoriesReorder(try Caller.staff(actor), params, connection)
        default: throw Refusal(.unknownQuery, "knowledge has no query named \(name)")
        }
    }
}
