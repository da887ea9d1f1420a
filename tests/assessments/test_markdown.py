import pytest

from assessments.markdown import render_markdown


@pytest.mark.parametrize(
    ("source", "forbidden"),
    [
        ("Hello <script>alert('x')</script>", "<script"),
        ('<img src="x" onerror="alert(1)">', "onerror"),
        ("[click](javascript:alert(1))", "javascript:"),
        ('<a href="#" onclick="steal()">x</a>', "onclick"),
        ('<iframe src="https://evil.example"></iframe>', "<iframe"),
        ("<style>body{display:none}</style>", "<style"),
        ('<div style="position:fixed">x</div>', "style="),
        ('<form action="https://evil.example"><input name="p"></form>', "<form"),
        ("```html\n<script>alert(1)</script>\n```", "<script"),
    ],
)
def test_hostile_markup_is_neutralised(source, forbidden):
    assert forbidden not in str(render_markdown(source)).lower()


def test_fenced_code_is_highlighted_with_classes_not_inline_styles():
    html = str(render_markdown("```python\ndef f():\n    return 1\n```"))
    assert '<div class="codehilite">' in html
    assert '<span class="k">def</span>' in html
    assert "style=" not in html


def test_ordinary_markdown_survives():
    html = str(render_markdown("Use **`SELECT`** and [docs](https://www.sqlite.org/).\n\n- a\n- b"))
    assert "<strong><code>SELECT</code></strong>" in html
    assert 'href="https://www.sqlite.org/"' in html
    assert "<li>a</li>" in html


def test_code_in_a_prompt_is_shown_not_executed():
    html = str(render_markdown("`<b>bold?</b>`"))
    assert "&lt;b&gt;bold?&lt;/b&gt;" in html
