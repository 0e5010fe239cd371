import Foundation
import Hummingbird
import KefuModel

/// `POST /admin/channels` body.
struct CreateAPIChannelBody: Codable {
    var name: String
    var displayName: String?
    var keyLabel: String?
    enum CodingKeys: String, CodingKey {
        case name
        case displayName = "display_name"
        case keyLabel = "key_label"
    }
}

/// `PATCH /admin/channels/{channel}` body.
struct UpdateAPIChannelBody: Codable {
    var displayName: String
    enum CodingKeys: String, CodingKey { case displayName = "display_name" }
}

/// `POST /admin/channels/{channel}/keys` body.
struct CreateAPIKeyBody: Codable {
    var label: String?
}

/// `POST /admin/channels/{channel}/keys/{key_id}/rotate` body.
struct RotateAPIKeyBody: Codable {
    var graceSeconds: Int?
    var label: String?
    enum CodingKeys: String, CodingKey {
        case label
        case graceSeconds = "grace_seconds"
    }
}

extension Gateway {
    /// API channels and their keys in `gateway.api_channels` / `gateway.api_keys`.
    var apiChannels: APIChannelStore { APIChannelStore(postgres: context.postgres) }

    /// The longest grace period of a rotated key: 7 days.
    static let maxKeyGraceSeconds = 7 * 24 * 3600

    /// The admin API for API channels: `/api/v1/admin/channels…` (admins only). A channel's human-service
    /// rules are routing's per-channel settings (`PUT /admin/settings`), as for every channel.
    func addChannelKeyRoutes(_ router: Router<GatewayRequestContext>) {
        let api = RouteGroup(router: router, prefix: "/api/v1/admin/channels", catalog: catalog)
        api.get("") { request, _ in
            _ = try await staff(request, admin: true)
            return try jsonResponse(["channels": try await apiChannels.channels()])
        }
        api.post("") { request, _ in
            let staff = try await staff(request, admin: true)
            let body = try await RequestBody.decode(CreateAPIChannelBody.self, from: request, limit: gateway.maxJSONBytes)
            try validated { () throws(ContractError) in try FieldRules.channel(body.name, field: "name") }
            guard !gateway.channels.contains(body.name) else {
                throw APIError.conflict("channel_exists", "\(body.name) is a widget channel; pick another name")
            }
            let displayName = body.displayName ?? body.name
            let label = body.keyLabel ?? ""
            try checkNames(displayName: displayName, label: label)
            let (channel, key) = try await apiChannels.create(name: body.name, displayName: displayName, label: label, by: staff.agentID)
            return try jsonResponse(APIChannelCreated(channel: channel, key: key), status: .created)
        }
        api.get(":channel") { request, context in
            _ = try await staff(request, admin: true)
            let name = try channelParameter(context)
            let channel = try await apiChannels.channel(name)
            return try jsonResponse(APIChannelDetail(channel: channel, keys: try await apiChannels.keys(of: name)))
        }
        api.patch(":channel") { request, context in
            _ = try await staff(request, admin: true)
            let name = try channelParameter(context)
            let body = try await RequestBody.decode(UpdateAPIChannelBody.self, from: request, limit: gateway.maxJSONBytes)
            try checkNames(displayName: body.displayName, label: "")
            return try jsonResponse(try await apiChannels.rename(name, displayName: body.displayName))
        }
        api.get(":channel/keys") { request, context in
            _ = try await staff(request, admin: true)
            return try jsonResponse(["keys": try await apiChannels.keys(of: try channelParameter(context))])
        }
        api.post(":channel/keys") { request, context in
            let staff = try await staff(request, admin: true)
            let name = try channelParameter(context)
            let body = try await RequestBody.decode(CreateAPIKeyBody.self, from: request, limit: gateway.maxJSONBytes)
            try checkNames(displayName: nil, label: body.label ?? "")
            return try jsonResponse(try await apiChannels.issue(channel: name, label: body.label ?? "", by: staff.agentID), status: .created)
        }
        api.delete(":channel/keys/:key_id") { request, context in
            _ = try await staff(request, admin: true)
            let name = try channelParameter(context)
            let key: Identifier<APIKeyTag> = try request.uuidParameter("key_id", context)
            return try jsonResponse(try await apiChannels.revoke(channel: name, keyID: key.uuid))
        }
        api.post(":channel/keys/:key_id/rotate") { request, context in
            let staff = try await staff(request, admin: true)
            let name = try channelParameter(context)
            let key: Identifier<APIKeyTag> = try request.uuidParameter("key_id", context)
            let body = try await RequestBody.decode(RotateAPIKeyBody.self, from: request, limit: gateway.maxJSONBytes)
            let grace = body.graceSeconds ?? 0
            guard (0...Self.maxKeyGraceSeconds).contains(grace) else {
                throw APIError.badRequest("invalid_field", "`grace_seconds` must be between 0 and \(Self.maxKeyGraceSeconds)")
            }
            if let label = body.label { try checkNames(displayName: nil, label: label) }
            let (issued, old) = try await apiChannels.rotate(channel: name, keyID: key.uuid, graceSeconds: grace, label: body.label, by: staff.agentID)
            return try jsonResponse(APIKeyRotated(key: issued, previous: old), status: .created)
        }
    }

    /// The `{channel}` path parameter, checked as a channel name (404 otherwise).
    func channelParameter(_ context: GatewayRequestContext) throws -> String {
        guard let name = context.parameters.get("channel"), (try? FieldRules.channel(name)) != nil else {
            throw APIError.notFound("unknown_channel", "`channel` must be a channel name, `^[a-z0-9][a-z0-9_-]{0,63}$`")
        }
        return name
    }

    private func checkNames(displayName: String?, label: String) throws {
        try validated { () throws(ContractError) in
            if let displayName { try FieldRules.text(displayName, field: "display_name", maxLength: FieldRules.maxNameLength) }
            if !label.isEmpty { try FieldRules.text(label, field: "label", maxLength: FieldRules.maxNameLength) }
        }
    }
}

/// Tag of API key ids in paths.
enum APIKeyTag {}

/// `POST /admin/channels` answer: the channel and its first key (the secret shown once).
struct APIChannelCreated: Encodable {
    var channel: APIChannelRecord
    var key: IssuedAPIKey
}

/// `GET /admin/channels/{channel}` answer.
struct APIChannelDetail: Encodable {
    var channel: APIChannelRecord
    var keys: [APIKeyRecord]
}

/// `POST …/keys/{key_id}/rotate` answer: the new key (secret shown once) and the old one with its end.
struct APIKeyRotated: Encodable {
    var key: IssuedAPIKey
    var previous: APIKeyRecord
}
