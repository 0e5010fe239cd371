import Foundation
import ServiceRuntime
import StoreService

signal(SIGPIPE, SIG_IGN)
let definition: ServiceDefinition
do {
    definition = try StoreService.definition(settings: StoreSettings(reader: ConfigReader()))
} catch {
    FileHandle.standardError.write(Data("kefu-store: \(error)\n".utf8))
    exit(2)
}
await ServiceHost.main(definition)
