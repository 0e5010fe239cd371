#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Writes an `Encodable` value as compact JSON straight into a byte buffer, without the intermediate tree
/// Foundation's `JSONEncoder` builds: the same output as a `JSONEncoder` with `.withoutEscapingSlashes` and
/// default strategies (keys in encoding order, `Data` as Base64, `URL` as its string, integral floating-point
/// numbers without `.0`), in a fraction of the time. Encoding envelopes was the largest single cost of a busy
/// service (`docs/performance.md`).
///
/// Values are written in the order they are encoded, so containers must be used the way synthesized and
/// hand-written `encode(to:)` methods normally use them: one container per value, filled before the next
/// value starts. `nestedContainer` and `superEncoder` are not supported: ``encode(_:)`` then throws
/// ``CompactJSONEncoder/Unsupported`` (the caller falls back to `JSONEncoder`).
public enum CompactJSONEncoder {
    /// What this encoder does not do.
    public struct Unsupported: Error, CustomStringConvertible {
        public let description: String
    }

    /// Encodes `value` as compact JSON.
    public static func encode<Value: Encodable>(_ value: Value) throws -> [UInt8] {
        let sink = JSONSink()
        sink.bytes.reserveCapacity(512)
        try sink.write(value, parent: nil, key: nil)
        if let unsupported = sink.unsupported { throw Unsupported(description: unsupported) }
        return sink.bytes
    }
}

/// The buffer being written and the value writers; every container writes into it.
final class JSONSink {
    var bytes: [UInt8] = []
    /// Set when a value asked for what this encoder does not do; the output is then discarded.
    var unsupported: String?

    /// Writes one value: scalars directly (every standard integer type among them: their own `encode(to:)` asks
    /// a single-value container to encode themselves, which would come back here), everything else through its
    /// `encode(to:)`; `parent` and `key` say where it sits (for the coding path of an error).
    func write<Value: Encodable>(_ value: Value, parent: CompactEncoder?, key: (any CodingKey)?) throws {
        func codingPath() -> [any CodingKey] { (parent?.codingPath ?? []) + (key.map { [$0] } ?? []) }
        // Most values are strings or structs: a type check costs far less than the failed casts below.
        if Value.self == String.self { return writeString(value as! String) }
        guard Self.scalarTypes.contains(ObjectIdentifier(Value.self)) else {
            let encoder = CompactEncoder(sink: self, parent: parent, key: key)
            try value.encode(to: encoder)
            encoder.finish()
            return
        }
        switch value {
        case let string as String: writeString(string)
        case let bool as Bool: writeRaw(bool ? "true" : "false")
        case let int as Int: writeInteger(int)
        case let int as Int64: writeInteger(Int(int))
        case let int as Int32: writeInteger(Int(int))
        case let int as UInt8: writeInteger(Int(int))
        case let int as Int8: writeInteger(Int(int))
        case let int as Int16: writeInteger(Int(int))
        case let int as UInt16: writeInteger(Int(int))
        case let int as UInt32: writeInteger(Int(int))
        case let int as UInt: writeRaw(String(int))
        case let int as UInt64: writeRaw(String(int))
        case let decimal as Decimal: writeRaw(decimal.description)
        case let double as Double: try writeFloat(double, codingPath)
        case let float as Float: try writeFloat(Double(float), codingPath, description: float.description)
        case let data as Data: writeString(data.base64EncodedString())
        case let url as URL: writeString(url.absoluteString)
        default:
            let encoder = CompactEncoder(sink: self, parent: parent, key: key)
            try value.encode(to: encoder)
            encoder.finish()
        }
    }

    /// The types ``write(_:parent:key:)`` writes itself rather than through their `encode(to:)`.
    private static let scalarTypes: Set<ObjectIdentifier> = [
        ObjectIdentifier(String.self), ObjectIdentifier(Bool.self), ObjectIdentifier(Int.self), ObjectIdentifier(Int64.self),
        ObjectIdentifier(Int32.self), ObjectIdentifier(UInt8.self), ObjectIdentifier(Int8.self), ObjectIdentifier(Int16.self),
        ObjectIdentifier(UInt16.self), ObjectIdentifier(UInt32.self), ObjectIdentifier(UInt.self), ObjectIdentifier(UInt64.self),
        ObjectIdentifier(Decimal.self), ObjectIdentifier(Double.self), ObjectIdentifier(Float.self), ObjectIdentifier(Data.self),
        ObjectIdentifier(URL.self),
    ]

    func writeRaw(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    /// Writes an integer's decimal digits without making a `String`.
    func writeInteger(_ value: Int) {
        guard value != Int.min else { return writeRaw(String(value)) }
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[19 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            bytes.append(contentsOf: buffer[(20 - count)...])
        }
    }

    func writeFloat(_ value: Double, _ codingPath: () -> [any CodingKey], description: String? = nil) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: codingPath(), debugDescription: "Unable to encode \(value) directly in JSON."))
        }
        var text = description ?? value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        writeRaw(text)
    }

    /// A JSON string: `"` and `\` escaped, control characters as `\n`, `\r`, `\t`, `\b`, `\f` or `\u00XX`; `/` and
    /// everything else as UTF-8.
    func writeString(_ string: String) {
        bytes.append(UInt8(ascii: "\""))
        var utf8 = string.utf8
        let fast = utf8.withContiguousStorageIfAvailable { buffer -> Bool in
            appendEscaped(buffer)
            return true
        }
        if fast == nil {
            var copy = string
            copy.makeContiguousUTF8()
            utf8 = copy.utf8
            utf8.withContiguousStorageIfAvailable { appendEscaped($0) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private func appendEscaped(_ buffer: UnsafeBufferPointer<UInt8>) {
        var start = 0
        for index in 0..<buffer.count {
            let byte = buffer[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            if start < index { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start..<index])) }
            start = index + 1
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x08: bytes.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x0C: bytes.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            default:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
            }
        }
        if start < buffer.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start...])) }
    }
}

/// The `Encoder` handed to one value's `encode(to:)`: opens the value's container on first use and closes it
/// in ``finish()``.
final class CompactEncoder: Encoder {
    enum State {
        case empty
        case keyed(count: Int)
        case unkeyed(count: Int)
        case single(written: Bool)
    }

    let sink: JSONSink
    let parent: CompactEncoder?
    let key: (any CodingKey)?
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    var state = State.empty

    init(sink: JSONSink, parent: CompactEncoder?, key: (any CodingKey)?) {
        self.sink = sink
        self.parent = parent
        self.key = key
    }

    /// Built only when asked for (errors): the keys from the root down to this value.
    var codingPath: [any CodingKey] { (parent?.codingPath ?? []) + (key.map { [$0] } ?? []) }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .empty = state {
            sink.bytes.append(UInt8(ascii: "{"))
            state = .keyed(count: 0)
        }
        return KeyedEncodingContainer(CompactKeyedContainer<Key>(encoder: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .empty = state {
            sink.bytes.append(UInt8(ascii: "["))
            state = .unkeyed(count: 0)
        }
        return CompactUnkeyedContainer(encoder: self)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        if case .empty = state { state = .single(written: false) }
        return CompactSingleValueContainer(encoder: self)
    }

    /// Writes what ends the value (an object nobody filled is `{}`, as Foundation writes it).
    func finish() {
        switch state {
        case .empty: sink.writeRaw("{}")
        case .keyed: sink.bytes.append(UInt8(ascii: "}"))
        case .unkeyed: sink.bytes.append(UInt8(ascii: "]"))
        case .single(let written): if !written { sink.writeRaw("{}") }
        }
    }

    /// Writes an envelope header's members as `EnvelopeHeader`'s synthesized `encode(to:)` does (same keys, order
    /// and values), without a container per member: every envelope a service publishes starts with them.
    func writeHeader(
        id: EventID, type: EventType, version: Int, time: Timestamp, source: String, correlationID: EventID?,
        causationID: EventID?, replyTo: String?, expiresAt: Timestamp?
    ) {
        if case .empty = state {
            sink.bytes.append(UInt8(ascii: "{"))
            state = .keyed(count: 0)
        }
        beginMember("id")
        sink.writeString(id.description)
        beginMember("type")
        sink.writeString(type.rawValue)
        beginMember("version")
        sink.writeInteger(version)
        beginMember("time")
        sink.writeString(time.rfc3339)
        beginMember("source")
        sink.writeString(source)
        if let correlationID {
            beginMember("correlation_id")
            sink.writeString(correlationID.description)
        }
        if let causationID {
            beginMember("causation_id")
            sink.writeString(causationID.description)
        }
        if let replyTo {
            beginMember("reply_to")
            sink.writeString(replyTo)
        }
        if let expiresAt {
            beginMember("expires_at")
            sink.writeString(expiresAt.rfc3339)
        }
    }

    /// Writes the separator and key of the next member of a keyed container.
    func beginMember(_ key: String) {
        guard case .keyed(let count) = state else { return }
        if count > 0 { sink.bytes.append(UInt8(ascii: ",")) }
        state = .keyed(count: count + 1)
        sink.writeString(key)
        sink.bytes.append(UInt8(ascii: ":"))
    }

    /// Writes the separator before the next element of an unkeyed container; returns its index.
    func beginElement() -> Int {
        guard case .unkeyed(let count) = state else { return 0 }
        if count > 0 { sink.bytes.append(UInt8(ascii: ",")) }
        state = .unkeyed(count: count + 1)
        return count
    }

    var elementCount: Int {
        if case .unkeyed(let count) = state { return count }
        return 0
    }

    /// Notes that `what` is not supported (``CompactJSONEncoder/encode(_:)`` will throw) and returns an encoder
    /// whose output goes nowhere, so the value's `encode(to:)` can finish.
    func unsupported(_ what: String) -> CompactEncoder {
        if sink.unsupported == nil {
            sink.unsupported = "\(what) at \(codingPath.map(\.stringValue).joined(separator: ".")) is not supported"
        }
        return CompactEncoder(sink: JSONSink(), parent: parent, key: key)
    }
}

struct CompactKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: CompactEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }

    mutating func encodeNil(forKey key: Key) throws {
        encoder.beginMember(key.stringValue)
        encoder.sink.writeRaw("null")
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        encoder.beginMember(key.stringValue)
        try encoder.sink.write(value, parent: encoder, key: key)
    }

    mutating func encode(_ value: String, forKey key: Key) throws {
        encoder.beginMember(key.stringValue)
        encoder.sink.writeString(value)
    }

    mutating func encode(_ value: Bool, forKey key: Key) throws {
        encoder.beginMember(key.stringValue)
        encoder.sink.writeRaw(value ? "true" : "false")
    }

    mutating func encode(_ value: Int, forKey key: Key) throws {
        encoder.beginMember(key.stringValue)
        encoder.sink.writeInteger(value)
    }

    mutating func encode(_ value: Int64, forKey key: Key) throws {
        encoder.beginMember(key.stringValue)
        encoder.sink.writeInteger(Int(value))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        encoder.unsupported("nestedContainer").container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        encoder.unsupported("nestedUnkeyedContainer").unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        encoder.unsupported("superEncoder")
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        encoder.unsupported("superEncoder")
    }
}

struct CompactUnkeyedContainer: UnkeyedEncodingContainer {
    let encoder: CompactEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }
    var count: Int { encoder.elementCount }

    mutating func encodeNil() throws {
        _ = encoder.beginElement()
        encoder.sink.writeRaw("null")
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let index = encoder.beginElement()
        try encoder.sink.write(value, parent: encoder, key: IndexKey(intValue: index))
    }

    mutating func encode(_ value: String) throws {
        _ = encoder.beginElement()
        encoder.sink.writeString(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        encoder.unsupported("nestedContainer").container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        encoder.unsupported("nestedUnkeyedContainer").unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        encoder.unsupported("superEncoder")
    }
}

struct CompactSingleValueContainer: SingleValueEncodingContainer {
    let encoder: CompactEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }

    mutating func encodeNil() throws {
        encoder.state = .single(written: true)
        encoder.sink.writeRaw("null")
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        encoder.state = .single(written: true)
        try encoder.sink.write(value, parent: encoder.parent, key: encoder.key)
    }

    mutating func encode(_ value: String) throws {
        encoder.state = .single(written: true)
        encoder.sink.writeString(value)
    }

    mutating func encode(_ value: Int) throws {
        encoder.state = .single(written: true)
        encoder.sink.writeInteger(value)
    }
}

/// The coding key of an array element.
private struct IndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "Index \(intValue ?? 0)" }
    init(intValue: Int) { self.intValue = intValue }
    init?(stringValue: String) { nil }
}
