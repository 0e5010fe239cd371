/// Limits enforced by `RoutingSettings.validate()`.
public enum RoutingSettingsLimits {
    /// Maximum prompt length in characters.
    public static let maxPromptLength = 500
    /// Maximum keyword / phrase length in characters.
    public static let maxKeywordLength = 20
    /// Maximum entries in one keyword list.
    public static let maxKeywordsPerList = 50
    /// Maximum sensitive-word length in characters.
    public static let maxSensitiveWordLength = 50
    /// Maximum number of sensitive words.
    public static let maxSensitiveWords = 20_000
}

extension RoutingSettings {
    /// Throws the first problem found; see `validationIssues()`.
    public func validate() throws(RoutingConfigIssue) {
        if let first = validationIssues().first { throw first }
    }

    /// All problems found, each with a field path and a reason code.
    public func validationIssues() -> [RoutingConfigIssue] {
        var check = RoutingSettingsChecker()
        for name in channels.keys.sorted() {
            let path = RoutingFieldPath.join("channels", name)
            if !RoutingChannelName.isValid(name) {
                check.fail(path, .invalidChannelName,
                           "channel name \"\(name)\" must match ^[a-z0-9][a-z0-9_-]{0,63}$ (lowercase, digits, _ and -)")
            }
            guard let channel = channels[name] else { continue }
            check.keywords(channel.transferKeywords, RoutingFieldPath.join(path, "transfer_keywords"))
            if let limit = channel.botUnansweredLimit {
                check.range(limit, 1...100, RoutingFieldPath.join(path, "bot_unanswered_limit"), hint: "use null to turn it off")
            }
            check.range(channel.priority, 0...9, RoutingFieldPath.join(path, "priority"), hint: "0 is normal, 9 most urgent")
        }
        check.issues += serviceHours.validationIssues(fieldPath: "service_hours")
        check.template(queue.prompt, "queue.prompt", variables: PromptTemplate.queueVariables)
        check.keywords(queue.exitKeywords, "queue.exit_keywords")
        check.range(queue.maxLength, 1...10_000, "queue.max_length")
        check.range(queue.timeoutSeconds, 30...86_400, "queue.timeout_seconds")
        check.template(outOfServicePrompt, "out_of_service_prompt", variables: [])
        for reason in NoServicePrompts.editable {
            check.template(noServicePrompts.prompt(for: reason, outOfHours: ""),
                           RoutingFieldPath.join("no_service_prompts", reason.rawValue), variables: [])
        }
        check.keywords(session.endPhrases, "session.end_phrases")
        if session.idleTimeoutSeconds != 0 {
            check.range(session.idleTimeoutSeconds, 60...86_400, "session.idle_timeout_seconds", hint: "use 0 to turn it off")
            check.range(session.idleWarningSeconds, 0...(session.idleTimeoutSeconds - 1), "session.idle_warning_seconds",
                        hint: "the warning must come before the timeout; use 0 for no warning")
        } else {
            check.range(session.idleWarningSeconds, 0...86_400, "session.idle_warning_seconds")
        }
        check.template(session.idleWarningPrompt, "session.idle_warning_prompt", variables: PromptTemplate.idleWarningVariables)
        check.range(session.presenceGraceSeconds, 0...3_600, "session.presence_grace_seconds")
        check.sensitiveWords(sensitiveWords)
        check.issues += files.validationIssues(path: "files")
        groupIssues(into: &check)
        return check.issues
    }
}

/// Channel-name syntax: `^[a-z0-9][a-z0-9_-]{0,63}$`.
enum RoutingChannelName {
    static func isValid(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, bytes.count <= 64 else { return false }
        func isAlphanumeric(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
        return isAlphanumeric(first)
            && bytes.dropFirst().allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }
}

/// Accumulates validation issues.
struct RoutingSettingsChecker {
    var issues: [RoutingConfigIssue] = []

    mutating func fail(_ path: String, _ code: RoutingConfigIssue.Code, _ message: String) {
        issues.append(RoutingConfigIssue(fieldPath: path, code: code, message: message))
    }

    mutating func range(_ value: Int, _ allowed: ClosedRange<Int>, _ path: String, hint: String? = nil) {
        guard !allowed.contains(value) else { return }
        let suffix = hint.map { "; \($0)" } ?? ""
        fail(path, .outOfRange, "\(value) is out of range; allowed \(allowed.lowerBound)...\(allowed.upperBound)\(suffix)")
    }

    mutating func keywords(_ list: [String], _ path: String) {
        if list.count > RoutingSettingsLimits.maxKeywordsPerList {
            fail(path, .tooMany, "at most \(RoutingSettingsLimits.maxKeywordsPerList) entries are allowed, found \(list.count)")
        }
        for (index, keyword) in list.enumerated() {
            let itemPath = RoutingFieldPath.index(path, index)
            let trimmed = keyword.trimmingWhitespaceForRouting()
            if trimmed.isEmpty {
                fail(itemPath, .empty, "keyword is empty; remove it from the list")
            } else if trimmed.count > RoutingSettingsLimits.maxKeywordLength {
                fail(itemPath, .tooLong, "keyword has \(trimmed.count) characters; at most \(RoutingSettingsLimits.maxKeywordLength) allowed")
            }
        }
    }

    mutating func template(_ text: String, _ path: String, variables: Set<String>) {
        if text.trimmingWhitespaceForRouting().isEmpty {
            fail(path, .empty, "prompt text is empty; visitors would receive a blank message")
            return
        }
        if text.count > RoutingSettingsLimits.maxPromptLength {
            fail(path, .tooLong, "prompt has \(text.count) characters; at most \(RoutingSettingsLimits.maxPromptLength) allowed")
        }
        do {
            _ = try PromptTemplate(text, allowedVariables: variables)
        } catch {
            fail(path, .invalidTemplate, error.description)
        }
    }

    mutating func sensitiveWords(_ words: [String]) {
        let path = "sensitive_words"
        if words.count > RoutingSettingsLimits.maxSensitiveWords {
            fail(path, .tooMany, "at most \(RoutingSettingsLimits.maxSensitiveWords) words are allowed, found \(words.count)")
        }
        for (index, word) in words.enumerated() {
            let length = word.trimmingWhitespaceForRouting().count
            if length > RoutingSettingsLimits.maxSensitiveWordLength {
                fail(RoutingFieldPath.index(path, index), .tooLong,
                     "word has \(length) characters; at most \(RoutingSettingsLimits.maxSensitiveWordLength) allowed")
            }
        }
    }
}
