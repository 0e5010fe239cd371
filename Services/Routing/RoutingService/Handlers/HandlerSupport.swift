import Foundation
import KefuModel
import Postgres
import ServiceRuntime

extension RoutingEngine {
    /// Runs one handler inside a (lazy) savepoint: a ``Refusal`` rolls back whatever the handler did, and
    /// only the refusal's `reply.result` is published; anything else is rethrown (and the batch retried).
    func run(
        _ event: IncomingEvent, on connection: PostgresConnection,
        _ body: (inout Publication) throws -> Void
    ) throws {
        var publication = publication(cause: event.header)
        let savepoint = connection.lazySavepoint("routing_event")
        do {
            try body(&publication)
            connection.release(savepoint)
        } catch let refusal as Refusal {
            connection.rollback(to: savepoint)
            publication = self.publication(cause: event.header)
            try publication.refuse(refusal)
            logger.debug("refused", metadata: ["type": "\(event.header.type.rawValue)", "code": "\(refusal.code.rawValue)"])
        }
        try publication.flush(to: outbox, on: connection)
    }

    /// Decodes the whole envelope; a malformed payload becomes a refusal with the most specific code.
    /// (Entries without `reply_to` were already dead-lettered by ``check(_:)`` when malformed.)
    func decode<Payload: EventPayload>(_ type: Payload.Type, _ event: IncomingEvent) throws -> EventEnvelope<Payload> {
        do {
            return try event.decode(type)
        } catch let error as ContractError {
            throw Refusal(Self.refusalCode(for: error, type: Payload.eventType), error.description)
        }
    }

    static func refusalCode(for error: ContractError, type: EventType) -> Refusal.Code {
        if case .invalidField(let field, _) = error {
            if field.hasSuffix("stars") { return .ratingOutOfRange }
            if field.hasSuffix("to_agent_id"), type == .agentTransfer { return .transferToSelf }
        }
        return .invalidParams
    }

    /// The runtime's read-time check: an entry nobody waits for (no `reply_to`) with a malformed payload is
    /// dead-lettered at once; one with `reply_to` is left to the handler, which answers with a refusal.
    @Sendable func check(_ event: IncomingEvent) throws {
        guard event.header.replyTo == nil else { return }
        _ = try event.decodeAny()
    }
}

extension JSONValue {
    /// Builds a JSON object from optional members (nil members are left out, as the contract wants).
    static func members(_ pairs: [(String, JSONValue?)]) -> JSONValue {
        var object: [String: JSONValue] = [:]
        for (key, value) in pairs { if let value { object[key] = value } }
        return .object(object)
    }

    init(_ string: String?) {
        self = string.map(JSONValue.string) ?? .null
    }

    static func time(_ date: Date?) -> JSONValue? {
        date.map { .string(Timestamp($0).rfc3339) }
    }

    static func int(_ value: Int) -> JSONValue { .integer(Int64(value)) }
}

extension RoutingEngine {
    /// Applies one event with the handler the consumers use for its type (inside the caller's transaction).
    public func apply(_ event: IncomingEvent, on connection: PostgresConnection) throws {
        switch event.header.type {
        case .visitorMessage: try visitorMessage(event, connection)
        case .visitorRequestHuman: try visitorRequestHuman(event, connection)
        case .visitorEnd: try visitorEnd(event, connection)
        case .visitorExitQueue: try visitorExitQueue(event, connection)
        case .visitorRating: try visitorRating(event, connection)
        case .visitorFeedback: try visitorFeedback(event, connection)
        case .visitorLeaveMessage: try visitorLeaveMessage(event, connection)
        case .agentMessage: try agentMessage(event, connection)
        case .agentTransfer: try agentTransfer(event, connection)
        case .agentEndSession: try agentEndSession(event, connection)
        case .agentSetStatus: try agentSetStatus(event, connection)
        case .agentHeartbeat: try agentHeartbeat(event, connection)
        case .agentHandleLeaveMessage: try agentHandleLeaveMessage(event, connection)
        case .adminUpdateSettings: try adminUpdateSettings(event, connection)
        case .adminUpsertAgent: try adminUpsertAgent(event, connection)
        case .agentBlockVisitor: try agentBlockVisitor(event, connection)
        case .adminLiftBlock: try adminLiftBlock(event, connection)
        case .adminBlockVisitor: try adminBlockVisitor(event, connection)
        case .supervisorTransfer: try supervisorTransfer(event, connection)
        case .supervisorEndSession: try supervisorEndSession(event, connection)
        case .agentNote: try agentNote(event, connection)
        case .adminUpsertSummaryCategory: try adminUpsertSummaryCategory(event, connection)
        case .adminDeleteSummaryCategory: try adminDeleteSummaryCategory(event, connection)
        case .agentSubmitSummary: try agentSubmitSummary(event, connection)
        case .botAnswer: try botAnswer(event, connection)
        case .queryRequest: try query(event, connection)
        default: throw UnhandledEventType(type: event.header.type)
        }
    }
}

/// An event type routing has no handler for.
public struct UnhandledEventType: Error, CustomStringConvertible {
    /// The type.
    public let type: EventType
    public var description: String { "routing has no handler for \(type.rawValue)" }
}
