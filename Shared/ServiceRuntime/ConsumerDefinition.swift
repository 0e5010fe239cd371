import Synchronization
import KefuModel
import Postgres
import RedisStreams

/// One consumer group a service joins, and what it does with each event type.
public struct ConsumerDefinition: Sendable {
    /// The stream read, relative to the configured prefix.
    public enum Stream: Sendable, Equatable {
        /// Visitor events from the widget and connectors.
        case inbound
        /// Agent and admin commands.
        case commands
        /// What happened (fan-out to every group).
        case events
        /// This service's request stream.
        case requests
    }

    /// What happens to a well-formed event whose type has no handler here.
    public enum UnknownTypePolicy: Sendable, Equatable {
        /// Moved to the dead-letter stream with the reason: for streams whose every type is this service's job.
        case deadLetter
        /// Acknowledged without effect: for fan-out streams where other groups handle other types.
        case acknowledge
    }

    /// Applies one event inside the transaction that also records its id; throwing rolls both back.
    public typealias Apply = @Sendable (IncomingEvent, PostgresConnection) throws -> Void
    /// Checks an event when it is read, before any transaction: throwing dead-letters it at once with
    /// the error as the reason (for payloads that can never be applied).
    public typealias Check = @Sendable (IncomingEvent) throws -> Void
    /// Reads what a batch's handlers need (see ``prepare``).
    public typealias Prepare = @Sendable ([IncomingEvent], PostgresConnection) throws -> Void
    /// Applies what a batch's handlers gathered (see ``finish``).
    public typealias Finish = @Sendable (PostgresConnection) throws -> Void

    /// Builds the stream handler of a consumer that handles whole batches itself (for example with
    /// multi-row `INSERT`s, or by answering requests), from the running service's context and its group.
    ///
    /// The handler gets the ``StreamHandler`` contract: acknowledged only after ``StreamHandler/handle(_:)``
    /// returns, retried entry by entry when it throws, dead-lettered when ``StreamHandler/decode(_:)`` throws.
    /// It owns its idempotency (e.g. recording event ids in `<schema>.processed_events` in its transaction).
    public typealias HandlerFactory = @Sendable (_ context: ServiceContext, _ group: String) -> any StreamHandler

    /// The stream read.
    public var stream: Stream
    /// Policy for types without a handler.
    public var unknownTypes: UnknownTypePolicy
    /// Handlers by event type, each applied alone in the batch's inbox transaction.
    public var handlers: [EventType: Apply]
    /// A batch handler used instead of ``handlers`` when set; it is responsible for honouring
    /// ``unknownTypes``.
    public var handlerFactory: HandlerFactory?
    /// Runs on every event with a handler when it is read; see ``Check``.
    public var check: Check?
    /// Runs after each batch whose transaction committed (e.g. to wake work that must see the effect).
    public var afterCommit: (@Sendable () async -> Void)?
    /// Runs once per batch inside its transaction, before the handlers, with the events to apply (fresh,
    /// in stream order): reads what the handlers need for the whole batch in one round trip.
    public var prepare: Prepare?
    /// Runs once per batch inside its transaction, after the handlers: applies with one set-based statement
    /// what handlers gathered instead of writing it one event at a time.
    public var finish: Finish?

    /// Creates a consumer definition whose events are applied one by one by `handlers`.
    public init(
        stream: Stream, unknownTypes: UnknownTypePolicy, handlers: [EventType: Apply] = [:], check: Check? = nil,
        prepare: Prepare? = nil, finish: Finish? = nil, afterCommit: (@Sendable () async -> Void)? = nil
    ) {
        self.stream = stream
        self.unknownTypes = unknownTypes
        self.handlers = handlers
        self.handlerFactory = nil
        self.check = check
        self.prepare = prepare
        self.finish = finish
        self.afterCommit = afterCommit
    }

    /// Creates a consumer definition whose batches go to the handler `handler` builds.
    public init(stream: Stream, unknownTypes: UnknownTypePolicy, handler: @escaping HandlerFactory) {
        self.stream = stream
        self.unknownTypes = unknownTypes
        self.handlers = [:]
        self.handlerFactory = handler
        self.check = nil
        self.prepare = nil
        self.finish = nil
        self.afterCommit = nil
    }

    /// The full stream name for `service` under `names`.
    public func streamName(_ names: StreamNames, service: String) -> String {
        switch stream {
        case .inbound: return names.inbound
        case .commands: return names.commands
        case .events: return names.events
        case .requests:
            if let known = ServiceName(rawValue: service) { return names.requests(service: known) }
            return "\(names.prefix):requests:\(service)"
        }
    }
}

/// An event read from a stream, decoded as far as its envelope header.
///
/// The whole envelope is decoded at most once: the first ``decode(_:)`` or ``decodeAny()`` (the read-time
/// check, a batch's `prepare`, or the handler) keeps it for the others.
public struct IncomingEvent: Sendable {
    /// The Redis entry id.
    public let entryID: String
    /// The envelope without its data.
    public let header: EnvelopeHeader
    /// The whole envelope as received.
    public let raw: [UInt8]
    /// Where `data`'s value lies in `raw`, when `EnvelopeCodec.locateHeader` found it (only those bytes are then
    /// decoded).
    public let dataRange: Range<Int>?
    private let decoded = DecodedEnvelope()

    /// An event as read (also for tests that apply handlers directly); `header` (and `dataRange`, if given) must
    /// be what `EnvelopeCodec.locateHeader` read from `raw`.
    public init(entryID: String, header: EnvelopeHeader, raw: [UInt8], dataRange: Range<Int>? = nil) {
        self.entryID = entryID
        self.header = header
        self.raw = raw
        self.dataRange = dataRange
    }

    /// Decodes the whole envelope with `Payload` as its data.
    public func decode<Payload: EventPayload>(_ type: Payload.Type) throws -> EventEnvelope<Payload> {
        if let kept = decoded.value as? EventEnvelope<Payload> { return kept }
        let envelope = try EnvelopeCodec.decode(raw, as: type, header: header, dataRange: dataRange)
        decoded.value = envelope
        return envelope
    }

    /// Decodes the whole envelope with the payload type its header names.
    public func decodeAny() throws -> any AnyEventEnvelope {
        if let kept = decoded.value { return kept }
        let envelope = try EnvelopeCodec.decodeAny(raw, header: header, dataRange: dataRange)
        decoded.value = envelope
        return envelope
    }
}

/// The envelope an ``IncomingEvent`` decoded, shared by its copies.
private final class DecodedEnvelope: Sendable {
    private let state = Mutex<(any AnyEventEnvelope)?>(nil)

    var value: (any AnyEventEnvelope)? {
        get { state.withLock { $0 } }
        set { state.withLock { $0 = newValue } }
    }
}
