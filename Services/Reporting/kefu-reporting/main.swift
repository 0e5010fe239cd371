import Foundation
import ReportingService
import ServiceRuntime

let settings: ReportingSettings
do {
    settings = try ReportingSettings(reader: ConfigReader())
} catch {
    FileHandle.standardError.write(Data("kefu-reporting: \(error)\n".utf8))
    exit(2)
}
await ServiceHost.main(ReportingService.definition(settings: settings))
