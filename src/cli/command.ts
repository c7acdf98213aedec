/** The shape of an `oqu` command: it opens what it needs and returns an exit status. */
import type { Config } from '../config'

export interface CommandIo {
  config: Config
  args: string[]
  out: NodeJS.WritableStream
  err: NodeJS.WritableStream
}

export interface Command {
  name: string
  summary: string
  usage?: string
  help?: string
  run(io: CommandIo): Promise<number>
}
