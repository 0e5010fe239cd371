/// A coding key accepting any string, used to detect unknown JSON keys.
struct RoutingAnyCodingKey: CodingKey {
    let stringValue: String
    let intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
        intValue = nil
    }

    init(intValue: Int) {
        stringValue = String(intValue)
        self.intValue = intValue
    }
}

extension Decoder {
    /// Throws `RoutingConfigIssue` (`unknown_key`) if the current JSON object has a key
    /// that `Keys` does not declare. Lets admins catch typos instead of silently
    /// falling back to defaults.
    func rejectUnknownKeys<Keys: CodingKey & CaseIterable>(_ keys: Keys.Type) throws {
        try rejectUnknownKeys(allowed: Keys.allCases.map(\.stringValue))
    }

    /// Same as `rejectUnknownKeys(_:)` with an explicit list of allowed keys.
    func rejectUnknownKeys(allowed: [String]) throws {
        let container = try self.container(keyedBy: RoutingAnyCodingKey.self)
        let known = Set(allowed)
        let unknown = container.allKeys.map(\.stringValue).filter { !known.contains($0) }.sorted()
        guard let first = unknown.first else { return }
        throw RoutingConfigIssue(
            fieldPath: RoutingFieldPath.join(RoutingFieldPath.render(codingPath), first),
            code: .unknownKey,
            message: "unknown key \"\(first)\"; allowed keys here: \(allowed.joined(separator: ", "))"
        )
    }
}

extension KeyedDecodingContainer {
    /// Decodes `key` if present, otherwise returns `fallback`. An explicit `null` is an error,
    /// not a request for the default.
    func decode<Value: Decodable>(_ key: Key, default fallback: @autoclosure () -> Value) throws -> Value {
        contains(key) ? try decode(Value.self, forKey: key) : fallback()
    }
}

extension RoutingConfigIssue {
    private static func describe(_ context: DecodingError.Context, expected type: Any.Type) -> String {
        context.debugDescription.isEmpty ? "expected a value of type \(type)" : context.debugDescription
    }

    /// Converts any error thrown while decoding configuration into an issue.
    static func fromDecoding(_ error: any Error) -> RoutingConfigIssue {
        if let issue = error as? RoutingConfigIssue { return issue }
        guard let decodingError = error as? DecodingError else {
            return RoutingConfigIssue(fieldPath: "", code: .invalidJSON, message: "\(error)")
        }
        switch decodingError {
        case let .typeMismatch(type, context):
            return RoutingConfigIssue(
                fieldPath: RoutingFieldPath.render(context.codingPath), code: .typeMismatch,
                message: describe(context, expected: type)
            )
        case let .valueNotFound(type, context):
            return RoutingConfigIssue(
                fieldPath: RoutingFieldPath.render(context.codingPath), code: .missingValue,
                message: describe(context, expected: type)
            )
        case let .keyNotFound(key, context):
            return RoutingConfigIssue(
                fieldPath: RoutingFieldPath.render(context.codingPath + [key]), code: .missingValue,
                message: "required key \"\(key.stringValue)\" is missing"
            )
        case let .dataCorrupted(context):
            let path = RoutingFieldPath.render(context.codingPath)
            if path.isEmpty {
                return RoutingConfigIssue(fieldPath: "", code: .invalidJSON, message: "the document is not valid JSON")
            }
            return RoutingConfigIssue(fieldPath: path, code: .invalidFormat, message: context.debugDescription)
        @unknown default:
            return RoutingConfigIssue(fieldPath: "", code: .invalidJSON, message: "\(decodingError)")
        }
    }
}
