#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Turns Foundation's `DecodingError` into a ``ContractError`` that names the field.
public enum DecodingErrorMapper {
    /// Maps `error`, raised while decoding `bytes`, to a contract error naming the field.
    public static func map(_ error: DecodingError, bytes: [UInt8]) -> ContractError {
        switch error {
        case .keyNotFound(let key, let context):
            return .missingField(FieldPath.render(context.codingPath + [key]))
        case .valueNotFound(_, let context):
            return .invalidField(FieldPath.render(context.codingPath), reason: "must not be null")
        case .typeMismatch(let type, let context) where context.codingPath.isEmpty:
            return .notJSON(detail: "expected \(kind(of: type)) at the top level")
        case .typeMismatch(let type, let context):
            return .invalidField(FieldPath.render(context.codingPath), reason: "must be \(kind(of: type))")
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return corruptedAtRoot(bytes: bytes)
        case .dataCorrupted(let context):
            return .invalidField(FieldPath.render(context.codingPath), reason: context.debugDescription)
        @unknown default:
            return .notJSON(detail: "\(error)")
        }
    }

    /// Foundation reports a fractional or out-of-range integer as "not valid JSON" with no path; tell
    /// the two apart by parsing the bytes as untyped JSON and pointing at the offending numbers.
    private static func corruptedAtRoot(bytes: [UInt8]) -> ContractError {
        guard let value = try? JSONDecoder().decode(JSONShape.self, from: Data(bytes)) else {
            return .notJSON(detail: "the value is not valid UTF-8 JSON")
        }
        let suspects = value.nonIntegerNumberPaths(prefix: "")
        guard !suspects.isEmpty else { return .notJSON(detail: "the value is not valid UTF-8 JSON") }
        let field = suspects.count == 1 ? suspects[0] : suspects.joined(separator: " or ")
        return .invalidField(field, reason: "must be an integer without fraction, between -2^63 and 2^63-1")
    }

    private static func kind(of type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type, is Int64.Type: "an integer"
        case is Double.Type: "a number"
        case is [Any].Type: "an array"
        default: "an object"
        }
    }
}

/// Untyped JSON, used only to explain decoding failures.
enum JSONShape: Decodable {
    case integer
    case fractional
    case other
    case array([JSONShape])
    case object([String: JSONShape])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() || (try? container.decode(Bool.self)) != nil || (try? container.decode(String.self)) != nil {
            self = .other
        } else if (try? container.decode(Int64.self)) != nil {
            self = .integer
        } else if (try? container.decode(Double.self)) != nil {
            self = .fractional
        } else if let array = try? container.decode([JSONShape].self) {
            self = .array(array)
        } else {
            self = .object(try container.decode([String: JSONShape].self))
        }
    }

    /// Paths of numbers that are not integers, in a stable order.
    func nonIntegerNumberPaths(prefix: String) -> [String] {
        switch self {
        case .fractional: [prefix.isEmpty ? "(root)" : prefix]
        case .integer, .other: []
        case .array(let items): items.enumerated().flatMap { $1.nonIntegerNumberPaths(prefix: prefix + "[\($0)]") }
        case .object(let members):
            members.keys.sorted().flatMap { members[$0]?.nonIntegerNumberPaths(prefix: FieldPath.join(prefix, $0)) ?? [] }
        }
    }
}
