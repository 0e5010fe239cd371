#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension EnvelopeHeader {
    /// The header read straight from the root members that ``StrictJSONCheck/scan(_:)`` found, without a JSON
    /// decoder: every reader decodes the header of every entry, most of them only to skip it.
    ///
    /// Returns nil whenever anything is not plain — a missing or mistyped field, an escape in a string, an
    /// unknown type or version, text that is not UTF-8 — and the typed decoder then gives the precise error.
    static func plain(_ members: StrictJSONCheck.Members, in bytes: [UInt8]) -> EnvelopeHeader? {
        func text(_ name: String) -> String?? {
            guard let range = members[name] else { return .some(nil) }
            guard range.count >= 2, bytes[range.lowerBound] == UInt8(ascii: "\""),
                  let body = Optional(bytes[(range.lowerBound + 1)..<(range.upperBound - 1)]),
                  !body.contains(UInt8(ascii: "\\")),
                  let string = String(validating: body, as: UTF8.self)
            else { return nil }
            return .some(string)
        }
        func identifier(_ name: String) -> EventID?? {
            guard let string = text(name) else { return nil }
            guard let string else { return .some(nil) }
            return EventID(string).map { .some($0) }
        }
        func time(_ name: String) -> Timestamp?? {
            guard let string = text(name) else { return nil }
            guard let string else { return .some(nil) }
            return Timestamp(rfc3339: string).map { .some($0) }
        }
        guard String(validating: bytes, as: UTF8.self) != nil,
              case let id?? = identifier("id"),
              case let typeName?? = text("type"), let type = EventType(rawValue: typeName),
              let versionRange = members["version"], versionRange.count <= 9,
              bytes[versionRange].allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              let version = Int(String(decoding: bytes[versionRange], as: UTF8.self)),
              type.supportedVersions.contains(version),
              case let created?? = time("time"),
              case let source?? = text("source"),
              let correlationID = identifier("correlation_id"),
              let causationID = identifier("causation_id"),
              let replyTo = text("reply_to"),
              let expiresAt = time("expires_at")
        else { return nil }
        return EnvelopeHeader(
            id: id, type: type, version: version, time: created, source: source,
            correlationID: correlationID, causationID: causationID, replyTo: replyTo, expiresAt: expiresAt)
    }
}
