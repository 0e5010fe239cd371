/// A closed set of string values on the wire; decoding an unknown value names the allowed ones.
public protocol WireEnum: RawRepresentable, CaseIterable, Codable, Sendable, Hashable where RawValue == String {}

extension WireEnum {
    /// Decodes a raw value, throwing ``ContractError/invalidField(_:reason:)`` listing the allowed values.
    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        guard let value = Self(rawValue: raw) else {
            let allowed = Self.allCases.map(\.rawValue).joined(separator: ", ")
            throw ContractError.invalidField(
                FieldPath.render(decoder.codingPath),
                reason: "must be one of \(allowed), got '\(raw.prefix(40))'"
            )
        }
        self = value
    }
}
