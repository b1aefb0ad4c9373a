from assessments.core.links import Link, page_href


def test_source_paths_become_directory_urls():
    assert page_href("explainers/data-quality.md") == "explainers/data-quality/"
    assert page_href("explainers/procurement.md#procuring-third-party-expertise", "../../") == (
        "../../explainers/procurement/#procuring-third-party-expertise"
    )
    assert page_href("guidance/explore/index.md", "https://x/guide") == "https://x/guide/guidance/explore/"
    assert Link("A", "b.md").to_dict() == {"title": "A", "target": "b.md"}
