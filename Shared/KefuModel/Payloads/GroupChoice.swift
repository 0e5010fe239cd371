/// One skill group (技能组) the bot's group menu offers (`group_choices` of a bot `message.accepted`): the visitor
/// chooses it by sending its `name` as their next message (connectors and the widget show buttons).
public struct GroupChoice: Codable, Sendable, Equatable {
    /// The most choices a menu offers.
    public static let maximumCount = 20

    /// The group's id (`^[a-z0-9][a-z0-9_-]{0,63}$`).
    public var group: String
    /// Its display name, what the visitor sends to choose it.
    public var name: String

    /// Creates a choice.
    public init(group: String, name: String) {
        self.group = group
        self.name = name
    }

    /// Checks a `group_choices` field: only on bot messages, 1 to ``maximumCount`` items with an id and a name.
    static func validate(_ choices: [GroupChoice], onlyWhen allowed: Bool) throws(ContractError) {
        guard allowed else { throw .invalidField("group_choices", reason: "must be absent unless `sender` is bot") }
        guard (1...maximumCount).contains(choices.count) else {
            throw .invalidField("group_choices", reason: "must hold 1 to \(maximumCount) items, got \(choices.count)")
        }
        for (index, choice) in choices.enumerated() {
            try FieldRules.token(choice.group, field: "group_choices[\(index)].group")
            try FieldRules.text(choice.name, field: "group_choices[\(index)].name", maxLength: 64)
        }
    }
}
