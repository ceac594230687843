"""Spring AI's model family in Kotlin: injected <Vendor>ChatModel beans are paths by package convention."""

from tests.scan.conftest import targets


def test_injected_model_of_a_module_no_rule_lists(scan_files):
    result = scan_files({"src/main/kotlin/com/acme/Assistant.kt": """
        package com.acme

        import org.springframework.ai.minimax.MiniMaxChatModel
        import org.springframework.ai.chat.model.ChatModel

        class Assistant(private val minimax: MiniMaxChatModel, private val generic: ChatModel) {
            fun answer(question: String): String = minimax.call(question)
        }
    """})
    assert [(p.line, p.sdk, sorted(targets(p))) for p in result.paths] == [
        (7, "spring-ai-models", [("minimax", None)])]


def test_a_products_own_look_alike_is_not_a_path(scan_files):
    result = scan_files({"src/main/kotlin/com/acme/Mine.kt": """
        package com.acme

        import com.acme.ai.minimax.MiniMaxChatModel

        class Mine(private val minimax: MiniMaxChatModel) {
            fun answer(question: String): String = minimax.call(question)
        }
    """})
    assert result.paths == []
