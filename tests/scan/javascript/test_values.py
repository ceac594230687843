"""Values that cross objects in TypeScript and JavaScript: getters, inherited fields, destructuring defaults."""

from tests.scan.conftest import only, targets


def test_getter_returning_a_field_set_in_the_constructor_is_the_client(scan_files):
    path = only(scan_files({"src/agent.js": """
        const OpenAI = require("openai");
        class Agent {
          constructor(config = {}) {
            const { model = "llama-3.1-8b-instant" } = config;
            this._client = new OpenAI({ baseURL: "https://api.groq.com/openai/v1" });
            this.model = model;
          }
          get client() {
            return this._client;
          }
          ask(messages) {
            return this.client.chat.completions.create({ model: this.model, messages });
          }
        }
        module.exports = Agent;
    """}))
    assert targets(path) == {("groq", "llama-3.1-8b-instant")}


def test_getter_returning_something_else_is_no_client(scan_files):
    result = scan_files({"src/store.js": """
        const OpenAI = require("openai");
        class Store {
          constructor() {
            this._client = new OpenAI();
            this._db = makeDatabase();
          }
          get client() {
            return this._db;
          }
          save(row) {
            return this.client.chat.completions.create({ row });
          }
        }
    """})
    assert result.paths == []


def test_field_read_through_a_getter_of_a_base_class_in_another_module(scan_files):
    path = only(scan_files({
        "src/base.ts": """
            import OpenAI from "openai";
            export class Base {
              _client = new OpenAI({ baseURL: "https://api.deepseek.com/v1" });
              get client() { return this._client; }
            }
        """,
        "src/agent.ts": """
            import { Base } from "./base";
            export class Agent extends Base {
              run() {
                return this.client.chat.completions.create({ model: "deepseek-chat", messages: [] });
              }
            }
        """,
    }))
    assert (path.file, targets(path)) == ("src/agent.ts", {("deepseek", "deepseek-chat")})
