#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Turns envelopes into the bytes of a stream entry's `event` field and back.
///
/// Decoding checks, in order: size, duplicate keys and `null`s (``StrictJSONCheck``), JSON, header (id, type, version, time, source), `data` shape, then
/// the field rules. Encoding validates first, so a producer cannot write what consumers would reject.
/// All errors are ``ContractError``.
public enum EnvelopeCodec {
    /// Largest `event` value accepted, in bytes (64 KiB).
    public static let maxEntryBytes = 65_536

    /// The fallback for a payload ``CompactJSONEncoder`` cannot write (its options never change; encoding does
    /// not mutate it). Keys are not sorted: the contract does not order them, and sorting every object cost a
    /// fifth of a busy service's time.
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }()

    /// Validates and encodes an envelope as compact JSON (``CompactJSONEncoder``, the same bytes as
    /// `JSONEncoder` writes, several times faster).
    public static func encode<Payload: EventPayload>(_ envelope: EventEnvelope<Payload>) throws(ContractError) -> [UInt8] {
        try envelope.validate()
        let bytes: [UInt8]
        do {
            do {
                bytes = try CompactJSONEncoder.encode(envelope)
            } catch is CompactJSONEncoder.Unsupported {
                bytes = Array(try encoder.encode(envelope))
            }
        } catch {
            throw .invalidField("(root)", reason: "cannot be encoded: \(error)")
        }
        guard bytes.count <= maxEntryBytes else { throw .tooLarge(bytes: bytes.count, limit: maxEntryBytes) }
        return bytes
    }

    /// Decodes only the header, for dispatch by ``EnvelopeHeader/type``; `data` is not examined.
    ///
    /// Throws ``ContractError/unknownType(_:)`` for types this build does not know: readers of the events
    /// stream acknowledge and skip those (a newer producer may have added them); readers of their own
    /// input streams (inbound, commands, requests) dead-letter them.
    public static func decodeHeader(_ bytes: [UInt8]) throws(ContractError) -> EnvelopeHeader {
        try locateHeader(bytes).header
    }

    /// Decodes the header like ``decodeHeader(_:)`` and also says where `data`'s value lies in `bytes` when the
    /// header was plain (nil otherwise): ``decode(_:as:header:dataRange:)`` then decodes only that value.
    public static func locateHeader(_ bytes: [UInt8]) throws(ContractError) -> (header: EnvelopeHeader, dataRange: Range<Int>?) {
        guard bytes.count <= maxEntryBytes else { throw .tooLarge(bytes: bytes.count, limit: maxEntryBytes) }
        guard !bytes.isEmpty else { throw .notJSON(detail: "the value is empty") }
        let header: EnvelopeHeader
        var dataRange: Range<Int>?
        if let members = try StrictJSONCheck.scan(bytes), let plain = EnvelopeHeader.plain(members, in: bytes) {
            header = plain
            dataRange = members["data"]
        } else {
            header = try decodeJSON(EnvelopeHeader.self, from: bytes, strict: false)
        }
        try header.validate()
        return (header, dataRange)
    }

    /// Decodes and validates an entry whose header ``locateHeader(_:)`` already read from these bytes: only the
    /// bytes of `data` go through the JSON decoder (the header is neither parsed nor decoded again). Whenever
    /// that does not succeed, the whole envelope is decoded as ``decode(_:as:headerRead:)`` does, so a broken
    /// entry gets exactly the same error.
    public static func decode<Payload: EventPayload>(
        _ bytes: [UInt8], as type: Payload.Type, header: EnvelopeHeader, dataRange: Range<Int>?
    ) throws(ContractError) -> EventEnvelope<Payload> {
        if let dataRange, header.type == Payload.eventType, header.version == Payload.version,
           dataRange.lowerBound >= 0, dataRange.upperBound <= bytes.count,
           let data = try? JSONDecoder().decode(Payload.self, from: Data(bytes[dataRange])) {
            let envelope = EventEnvelope(
                id: header.id, time: header.time, source: header.source, correlationID: header.correlationID,
                causationID: header.causationID, replyTo: header.replyTo, expiresAt: header.expiresAt, data: data)
            try envelope.validate()
            return envelope
        }
        return try decode(bytes, as: type, headerRead: true)
    }

    /// Decodes and validates an entry of a known payload type.
    ///
    /// - Parameter headerRead: true when ``decodeHeader(_:)`` already accepted these same bytes, so the raw-JSON
    ///   rules (``StrictJSONCheck``) were checked then and are not walked again.
    public static func decode<Payload: EventPayload>(
        _ bytes: [UInt8], as type: Payload.Type, headerRead: Bool = false
    ) throws(ContractError) -> EventEnvelope<Payload> {
        let envelope = try decodeJSON(EventEnvelope<Payload>.self, from: bytes, strict: !headerRead)
        try envelope.validate()
        return envelope
    }

    /// Decodes and validates an entry of any known type, choosing the payload type from the header.
    public static func decodeAny(_ bytes: [UInt8]) throws(ContractError) -> any AnyEventEnvelope {
        let (header, dataRange) = try locateHeader(bytes)
        return try open(header.type.payloadType, bytes, header: header, dataRange: dataRange)
    }

    /// Decodes and validates an entry of any known type whose `header` ``decodeHeader(_:)`` already read from
    /// these bytes (the header is not decoded again, nor the raw-JSON rules walked again).
    public static func decodeAny(_ bytes: [UInt8], header: EnvelopeHeader) throws(ContractError) -> any AnyEventEnvelope {
        try open(header.type.payloadType, bytes, header: header, dataRange: nil)
    }

    /// Decodes and validates an entry of any known type whose header and `data` range ``locateHeader(_:)`` read
    /// from these bytes (see ``decode(_:as:header:dataRange:)``).
    public static func decodeAny(
        _ bytes: [UInt8], header: EnvelopeHeader, dataRange: Range<Int>?
    ) throws(ContractError) -> any AnyEventEnvelope {
        try open(header.type.payloadType, bytes, header: header, dataRange: dataRange)
    }

    private static func open<Payload: EventPayload>(
        _ type: Payload.Type, _ bytes: [UInt8], header: EnvelopeHeader, dataRange: Range<Int>?
    ) throws(ContractError) -> any AnyEventEnvelope {
        guard dataRange != nil else { return try decode(bytes, as: type, headerRead: true) }
        return try decode(bytes, as: type, header: header, dataRange: dataRange)
    }

    /// The `event` value of a stream entry, which must have that one field and no other.
    ///
    /// - Parameter fields: the entry's fields in order (a `StreamEntry`'s `fields`).
    /// - Throws: ``ContractError/missingField(_:)`` without `event`, ``ContractError/extraEntryFields(_:)``
    ///   when there is any other field or `event` twice.
    public static func eventValue(of fields: [(name: String, value: [UInt8])]) throws(ContractError) -> [UInt8] {
        let events = fields.filter { $0.name == StreamNames.entryField }
        guard fields.count == 1, let only = events.first else {
            if events.isEmpty { throw .missingField(StreamNames.entryField) }
            throw .extraEntryFields(fields.map(\.name).filter { $0 != StreamNames.entryField } + (events.count > 1 ? [StreamNames.entryField] : []))
        }
        return only.value
    }

    private static func decodeJSON<Value: Decodable>(
        _ type: Value.Type, from bytes: [UInt8], strict: Bool = true
    ) throws(ContractError) -> Value {
        guard bytes.count <= maxEntryBytes else { throw .tooLarge(bytes: bytes.count, limit: maxEntryBytes) }
        guard !bytes.isEmpty else { throw .notJSON(detail: "the value is empty") }
        if strict { try StrictJSONCheck.check(bytes) }
        do {
            return try JSONDecoder().decode(type, from: Data(bytes))
        } catch let error as ContractError {
            throw error
        } catch let error as DecodingError {
            throw DecodingErrorMapper.map(error, bytes: bytes)
        } catch {
            throw .notJSON(detail: "\(error)")
        }
    }
}
