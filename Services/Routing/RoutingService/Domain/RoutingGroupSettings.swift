/// One skill group (技能组) of the settings document (`groups.<id>`, JSON keys in snake_case).
///
/// A visitor reaches a group by the entry the widget was opened from (`group` on `visitor.message` /
/// `visitor.request_human`), by one of the group's `transfer_keywords`, by the channel when exactly one group
/// lists it in `channels`, or by choosing from the bot's menu when several do. Everything else waits in the
/// default queue, served by every agent.
public struct RoutingGroupSettings: Sendable, Hashable, Codable {
    /// The name shown in the bot's menu and in the consoles, 1–50 characters.
    public var name: String
    /// Channels this group serves.
    public var channels: [String]
    /// Messages that ask for a human of this group (as the channels' transfer keywords).
    public var transferKeywords: [String]
    /// How `transferKeywords` match a message.
    public var transferKeywordsMatch: KeywordMatchMode
    /// The group's own service hours; nil: the document's `service_hours`.
    public var serviceHours: ServiceSchedule?
    /// The group's own queue prompt (`{position}`, `{ahead}`, `{eta}`); nil: `queue.prompt`.
    public var queuePrompt: String?
    /// The most visitors waiting in this group's queue (1–10,000); nil: `queue.max_length`.
    public var queueMaxLength: Int?
    /// An agent takes this group's visitors only while serving fewer than this (1–50); nil: their own count.
    public var agentCapacity: Int?
    /// Where a visitor goes after waiting too long in this group's queue; nil: nowhere (the queue timeout).
    public var overflow: RoutingGroupOverflow?

    /// Creates a group; only the name is required.
    public init(
        name: String, channels: [String] = [], transferKeywords: [String] = [],
        transferKeywordsMatch: KeywordMatchMode = .wholeMessage, serviceHours: ServiceSchedule? = nil,
        queuePrompt: String? = nil, queueMaxLength: Int? = nil, agentCapacity: Int? = nil,
        overflow: RoutingGroupOverflow? = nil
    ) {
        self.name = name
        self.channels = channels
        self.transferKeywords = transferKeywords
        self.transferKeywordsMatch = transferKeywordsMatch
        self.serviceHours = serviceHours
        self.queuePrompt = queuePrompt
        self.queueMaxLength = queueMaxLength
        self.agentCapacity = agentCapacity
        self.overflow = overflow
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case name, channels, overflow
        case transferKeywords = "transfer_keywords"
        case transferKeywordsMatch = "transfer_keywords_match"
        case serviceHours = "service_hours"
        case queuePrompt = "queue_prompt"
        case queueMaxLength = "queue_max_length"
        case agentCapacity = "agent_capacity"
    }

    /// Strict decoding: unknown keys are refused, missing ones take their defaults.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        channels = try container.decode(.channels, default: [])
        transferKeywords = try container.decode(.transferKeywords, default: [])
        transferKeywordsMatch = try container.decode(.transferKeywordsMatch, default: .wholeMessage)
        serviceHours = try container.decodeIfPresent(ServiceSchedule.self, forKey: .serviceHours)
        queuePrompt = try container.decodeIfPresent(String.self, forKey: .queuePrompt)
        queueMaxLength = try container.decodeIfPresent(Int.self, forKey: .queueMaxLength)
        agentCapacity = try container.decodeIfPresent(Int.self, forKey: .agentCapacity)
        overflow = try container.decodeIfPresent(RoutingGroupOverflow.self, forKey: .overflow)
    }
}

/// A group's overflow rule: after `afterSeconds` in the group's queue, the visitor moves to the group `to`,
/// or is offered leave-a-message when `to` is `leave_message`.
public struct RoutingGroupOverflow: Sendable, Hashable, Codable {
    /// The value of `to` that ends the wait with the leave-a-message hint.
    public static let leaveMessage = "leave_message"

    /// Seconds in the group's queue before overflowing, 10–86,400.
    public var afterSeconds: Int
    /// Another group's id, or `leave_message`.
    public var to: String

    /// Creates the rule.
    public init(afterSeconds: Int, to: String) {
        self.afterSeconds = afterSeconds
        self.to = to
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case to
        case afterSeconds = "after_seconds"
    }

    /// Strict decoding; both keys are required.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        afterSeconds = try container.decode(Int.self, forKey: .afterSeconds)
        to = try container.decode(String.self, forKey: .to)
    }
}

extension RoutingSettings {
    /// The groups serving `channel`, by id.
    public func groups(servingChannel channel: String) -> [String] {
        groups.keys.sorted().filter { groups[$0]?.channels.contains(channel) == true }
    }

    /// The group whose transfer keywords match `text`, if any (keywords are unique across groups).
    public func group(forKeyword text: String) -> String? {
        groups.keys.sorted().first { id in
            guard let group = groups[id], !group.transferKeywords.isEmpty else { return false }
            return RoutingKeywordMatcher.matches(text, keywords: group.transferKeywords, mode: group.transferKeywordsMatch)
        }
    }

    /// The group whose name the visitor chose from the bot's menu (compared as keywords are), if any.
    public func group(named text: String, among ids: [String]) -> String? {
        ids.first { id in
            guard let group = groups[id] else { return false }
            return RoutingKeywordMatcher.matches(text, keywords: [group.name, id], mode: .wholeMessage)
        }
    }

    /// Checks the `groups` map: ids, names, channels, keywords (unique across groups), hours, prompts,
    /// ranges, overflow targets (known groups or `leave_message`, never the group itself) and overflow cycles.
    func groupIssues(into check: inout RoutingSettingsChecker) {
        var keywordOwner: [String: String] = [:]
        for id in groups.keys.sorted() {
            guard let group = groups[id] else { continue }
            let path = RoutingFieldPath.join("groups", id)
            if !RoutingChannelName.isValid(id) || id == RoutingGroupOverflow.leaveMessage {
                check.fail(path, .invalidGroupName,
                           "group id \"\(id)\" must match ^[a-z0-9][a-z0-9_-]{0,63}$ and may not be leave_message")
            }
            let name = group.name.trimmingWhitespaceForRouting()
            if name.isEmpty {
                check.fail(RoutingFieldPath.join(path, "name"), .empty, "the group needs a name")
            } else if name.count > 50 {
                check.fail(RoutingFieldPath.join(path, "name"), .tooLong, "name has \(name.count) characters; at most 50 allowed")
            }
            for (index, channel) in group.channels.enumerated() where !RoutingChannelName.isValid(channel) {
                check.fail(RoutingFieldPath.index(RoutingFieldPath.join(path, "channels"), index), .invalidChannelName,
                           "channel name \"\(channel)\" must match ^[a-z0-9][a-z0-9_-]{0,63}$")
            }
            let keywordsPath = RoutingFieldPath.join(path, "transfer_keywords")
            check.keywords(group.transferKeywords, keywordsPath)
            for (index, keyword) in group.transferKeywords.enumerated() {
                let key = RoutingKeywordMatcher.normalize(keyword)
                if let owner = keywordOwner[key], owner != id {
                    check.fail(RoutingFieldPath.index(keywordsPath, index), .duplicateKeyword,
                               "keyword \"\(keyword)\" already leads to group \(owner)")
                }
                keywordOwner[key] = id
            }
            if let hours = group.serviceHours {
                check.issues += hours.validationIssues(fieldPath: RoutingFieldPath.join(path, "service_hours"))
            }
            if let prompt = group.queuePrompt {
                check.template(prompt, RoutingFieldPath.join(path, "queue_prompt"), variables: PromptTemplate.queueVariables)
            }
            if let length = group.queueMaxLength { check.range(length, 1...10_000, RoutingFieldPath.join(path, "queue_max_length")) }
            if let capacity = group.agentCapacity { check.range(capacity, 1...50, RoutingFieldPath.join(path, "agent_capacity")) }
            if let overflow = group.overflow {
                let overflowPath = RoutingFieldPath.join(path, "overflow")
                check.range(overflow.afterSeconds, 10...86_400, RoutingFieldPath.join(overflowPath, "after_seconds"))
                if overflow.to == id {
                    check.fail(RoutingFieldPath.join(overflowPath, "to"), .overflowCycle, "a group cannot overflow to itself")
                } else if overflow.to != RoutingGroupOverflow.leaveMessage, groups[overflow.to] == nil {
                    check.fail(RoutingFieldPath.join(overflowPath, "to"), .unknownGroup,
                               "overflow target \"\(overflow.to)\" is neither a group nor leave_message")
                } else if let cycle = overflowCycle(from: id) {
                    check.fail(RoutingFieldPath.join(overflowPath, "to"), .overflowCycle,
                               "overflow targets form a cycle: \(cycle.joined(separator: " → "))")
                }
            }
        }
    }

    /// The cycle of overflow targets reached from `start`, if following them comes back to a group seen.
    func overflowCycle(from start: String) -> [String]? {
        var path = [start]
        var current = start
        while let next = groups[current]?.overflow?.to, groups[next] != nil {
            if let index = path.firstIndex(of: next) { return Array(path[index...]) + [next] }
            path.append(next)
            current = next
        }
        return nil
    }
}
