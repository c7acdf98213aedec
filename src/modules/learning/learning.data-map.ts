/**
 * Data map of learning. Course content (texts, modules, lessons, search
 * columns) is not personal data. What links a course to a person is: the
 * account that created it and the instructors a course page names. Those
 * links are personal data of the instructor, who sees them in their export;
 * erasure unlinks (creator) or deletes (instructor rows), and the course
 * itself stays for its learners. Enrolments, progress and search history
 * arrive with their own tables, classified as `learning` and `behaviour`.
 */
import { defineDataMap, notPersonal, type PersonalColumn } from '../../platform/data-map/data-map'

const content = (note: string) => notPersonal(`Course content: ${note}`)

const instructorLink = (note: string): PersonalColumn => ({
  category: 'identity',
  purposes: ['service'],
  source: 'operator',
  export: 'include',
  erase: 'delete',
  note: `${note}. Deleted with the instructor's row at erasure; the course stays`,
})

export const learningDataMap = defineDataMap({
  module: 'learning',
  tables: {
    courses: {
      description: 'Courses of the catalogue: language, level, hours, price and publication state',
      subjectColumn: 'created_by',
      columns: {
        id: notPersonal('Random course id (UUID)'),
        slug: content('the stable URL name'),
        languages: content('languages the course is taught in'),
        level: content('beginner, intermediate or advanced'),
        duration_hours: content('expected study hours'),
        price_kzt: content('price in tenge; null when free'),
        status: content('draft, published or archived'),
        cover_image_path: content('path of the cover picture'),
        demo: content('seeded demo course, shown with a badge'),
        published_at: content('when the course was first published'),
        created_at: content('when the course was created'),
        updated_at: content('when the course last changed'),
        created_by: {
          category: 'identity',
          purposes: ['service', 'security'],
          source: 'operator',
          export: 'include',
          erase: 'nullify',
          note: 'Id of the account that created the course (an instructor or admin). Set to null at erasure, so the course no longer points at the person',
        },
      },
    },
    course_translations: {
      description: "A course's title and summary in one language, with the search columns derived from them",
      columns: {
        course_id: notPersonal('The course'),
        locale: content('kk, ru or en'),
        title: content('title'),
        summary: content('short description'),
        search_text: content('lower-case words of title and summary, for typo matching'),
        search_trigrams: content('trigrams of those words, for databases without pg_trgm'),
        search_vector: content('normalised lexemes for full-text search'),
      },
    },
    course_modules: {
      description: 'Ordered modules of a course',
      columns: {
        id: notPersonal('Random module id (UUID)'),
        course_id: notPersonal('The course'),
        position: content('order within the course'),
      },
    },
    course_module_translations: {
      description: "A module's title in one language",
      columns: {
        module_id: notPersonal('The module'),
        locale: content('kk, ru or en'),
        title: content('module title'),
      },
    },
    lessons: {
      description: 'Ordered lessons of a module: text, video or quiz',
      columns: {
        id: notPersonal('Random lesson id (UUID)'),
        module_id: notPersonal('The module'),
        position: content('order within the module'),
        kind: content('text, video or quiz'),
        video_url: content('https address of the lesson video'),
        required: content('whether completing the course needs the lesson'),
        duration_minutes: content('expected minutes'),
      },
    },
    lesson_translations: {
      description: "A lesson's title and Markdown body in one language",
      columns: {
        lesson_id: notPersonal('The lesson'),
        locale: content('kk, ru or en'),
        title: content('lesson title'),
        body_markdown: content('lesson text in Markdown'),
      },
    },
    course_instructors: {
      description: 'Instructors named on a course page, in order',
      subjectColumn: 'user_id',
      columns: {
        id: notPersonal('Random row id (UUID)'),
        course_id: instructorLink('Which course the instructor teaches'),
        user_id: instructorLink("The instructor's account; null for a named guest or demo instructor"),
        display_name: {
          ...instructorLink('The name the course page shows publicly, as the instructor or an admin gave it'),
          source: 'user',
        },
        position: instructorLink('Order among the course instructors'),
      },
    },
    course_media: {
      description: 'Files authors upload: course cover pictures (re-encoded, metadata stripped) and lesson attachments',
      subjectColumn: 'created_by',
      columns: {
        id: notPersonal('Random file id (UUID)'),
        course_id: notPersonal('The course'),
        lesson_id: notPersonal('The lesson an attachment belongs to; null for a cover'),
        kind: content('cover or attachment'),
        content_type: content('type decided from the bytes'),
        file_name: content('name an attachment is downloaded under'),
        byte_size: content('size in bytes'),
        bytes: content('the file; covers are re-encoded so no camera or location metadata is kept'),
        created_at: content('when the file was uploaded'),
        created_by: {
          category: 'identity',
          purposes: ['service', 'security'],
          source: 'operator',
          export: 'include',
          erase: 'nullify',
          note: 'Id of the account that uploaded the file. Set to null at erasure; the file stays with the course',
        },
      },
    },
  },
})
